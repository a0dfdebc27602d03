import ArgumentParser
import RouteRisk

/// The model options shared by `score` and `replay` (MODEL §2–§9); each overrides `scene.toml`.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Working CRS: auto (LAEA centred on the geography) or a projected CRS such as EPSG:32750.", valueName: "crs"))
    var crs: String?
    @Option(help: ArgumentHelp("Use events of the last N days, e.g. 365d (default: all history).", valueName: "Nd|all"))
    var window: String?
    @Option(name: .customLong("half-life"), help: ArgumentHelp("Half-life of event weights, e.g. 365d, or none (default 365d).", valueName: "Nd|none"))
    var halfLife: String?
    @Option(help: ArgumentHelp("Weight each event by 1 (events) or by its persons (default events).", valueName: "events|persons"))
    var weight: String?
    @Option(help: ArgumentHelp("Hex cell size, centre to centre (default 5km).", valueName: "distance"))
    var cell: String?
    @Option(help: ArgumentHelp("Study area: cells within this distance of a coastline, border or route (default 50km).", valueName: "distance"))
    var reach: String?
    @Option(help: ArgumentHelp("Kernel bandwidth: auto (likelihood cross-validation), silverman, or a distance (default auto).", valueName: "auto|silverman|distance"))
    var bandwidth: String?
    @Option(help: ArgumentHelp("Gi* distance band, or auto (incremental spatial autocorrelation, as ArcGIS's Optimized Hot Spot Analysis) (default 2 × cell).", valueName: "distance|auto"))
    var band: String?
    @Option(help: ArgumentHelp("Route corridor half-width (default 2km).", valueName: "distance"))
    var corridor: String?
    @Option(help: ArgumentHelp("Worker threads (default: every core); outputs are the same whatever the count.", valueName: "n"))
    var threads: String?


    /// The options given, by their `scene.toml` names, for `ScoreOptions.set`.
    var flags: [(String, String?)] {
        [
            ("crs", crs), ("window", window), ("half-life", halfLife), ("weight", weight), ("cell", cell),
            ("reach", reach), ("bandwidth", bandwidth), ("band", band), ("corridor", corridor),
            ("threads", threads),
        ]
    }
}
