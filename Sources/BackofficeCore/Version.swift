/// The package's version: the one place it is written. `backoffice --version` prints it, with the
/// commit of the checkout the binary was built in when that checkout is still there.
public enum BackofficeVersion {
    public static let version = "0.1.0"
}
