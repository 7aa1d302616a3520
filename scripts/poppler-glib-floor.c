// The least a poppler-glib text extraction can cost, for scripts/bench-menu: open the PDF and, for
// every page, ask poppler-glib what backoffice asks (rectangles, text, font runs), then print
// nothing: no structuring, no JSON. THREADS threads (default 1), each with its own document
// (poppler documents are not thread-safe), pages handed out in turn, as backoffice reads them.
//
//   poppler-glib-floor FILE.pdf [THREADS]
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
static GBytes *bytes; static int npages; static int next_page; static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) {
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (!doc) return NULL;
    for (;;) {
        pthread_mutex_lock(&lock); int i = next_page++; pthread_mutex_unlock(&lock);
        if (i >= npages) break;
        PopplerPage *page = poppler_document_get_page(doc, i);
        PopplerRectangle *rects = NULL; guint count = 0;
        poppler_page_get_text_layout(page, &rects, &count);
        char *text = poppler_page_get_text(page);
        GList *attrs = poppler_page_get_text_attributes(page);
        poppler_page_free_text_attributes(attrs); g_free(text); g_free(rects); g_object_unref(page);
    }
    g_object_unref(doc);
    return NULL;
}
int main(int argc, char **argv) {
    int threads = argc > 2 ? atoi(argv[2]) : 1;
    gchar *data; gsize len;
    if (!g_file_get_contents(argv[1], &data, &len, NULL)) return 66;
    bytes = g_bytes_new_take(data, len);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (!doc) return 65;
    npages = poppler_document_get_n_pages(doc);
    g_object_unref(doc);
    if (threads > npages) threads = npages;
    pthread_t t[8];
    for (int k = 1; k < threads; k++) pthread_create(&t[k], NULL, work, NULL);
    work(NULL);
    for (int k = 1; k < threads; k++) pthread_join(t[k], NULL);
    return 0;
}
