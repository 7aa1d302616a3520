import Foundation
// TEMPORARY instrumentation, removed before the end.
nonisolated(unsafe) var traceStart = Date()
nonisolated(unsafe) var traceCPU: Double = 0
func trace(_ label: String) {
    if ProcessInfo.processInfo.environment["PERF_TRACE"] != nil {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        let cpu = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        FileHandle.standardError.write(Data(String(format: "TRACE %7.3f cpu %6.3f (+%6.3f) %@\n", Date().timeIntervalSince(traceStart), cpu, cpu - traceCPU, label).data(using: .utf8)!))
        traceCPU = cpu
    }
}
