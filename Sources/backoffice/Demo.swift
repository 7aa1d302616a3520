import ArgumentParser
import BackofficeCore
import Foundation
import Samples

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build samples in a scratch folder and run every job on them: no network, no settings."
    )

    @Option(help: "Folder for the demo's samples and outputs (default: a new temporary folder).")
    var out: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let logger = global.logger("demo")
        try runReporting {
            let base = out.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("backoffice-demo-\(ProcessInfo.processInfo.processIdentifier)")
            let samplesDir = base.appendingPathComponent("samples")
            logger.info("writing samples to \(samplesDir.path)")
            let manifest = try SampleGenerator.generate(SampleOptions(), into: samplesDir, logger: logger)
            printOut("Samples:  \(samplesDir.path)")
            printOut(manifest.summary)
            return .ok
        }
    }
}
