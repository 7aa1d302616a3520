import BackofficeCore
import Foundation

public enum SampleMenus {
    public static func writeLongMenu(pages: Int, to url: URL) throws(Failure) {
        throw Failure.software("not yet")
    }
}
