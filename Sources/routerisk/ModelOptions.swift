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
    @Option(help: ArgumentHelp("Forecast jitter σ around the routes: auto (binned maximum likelihood) or a distance (default auto).", valueName: "auto|distance"))
    var jitter: String?
    @Option(name: .customLong("attribution-distance"), help: ArgumentHelp("Forecast: events within this distance of a route are attributed to it (default 3km).", valueName: "distance"))
    var attributionDistance: String?
    @Option(name: .customLong("attribution-window"), help: ArgumentHelp("Forecast: days of earlier shares that weigh an event between routes (default 180d).", valueName: "Nd"))
    var attributionWindow: String?
    @Option(name: .customLong("forecast-half-life"), help: ArgumentHelp("Forecast: half-life of the route rates, or none (default 90d).", valueName: "Nd|none"))
    var forecastHalfLife: String?
    @Option(name: .customLong("background-bandwidth"), help: ArgumentHelp("Forecast: bandwidth of the off-route background (default 5km).", valueName: "distance"))
    var backgroundBandwidth: String?
    @Option(name: .customLong("background-half-life"), help: ArgumentHelp("Forecast: half-life of the background, or none (default 730d).", valueName: "Nd|none"))
    var backgroundHalfLife: String?
    @Option(help: ArgumentHelp("Forecast horizon (default 30d).", valueName: "Nd"))
    var horizon: String?


    /// The options given, by their `scene.toml` names, for `ScoreOptions.set`.
    var flags: [(String, String?)] {
        [
            ("crs", crs), ("window", window), ("half-life", halfLife), ("weight", weight), ("cell", cell),
            ("reach", reach), ("bandwidth", bandwidth), ("band", band), ("corridor", corridor),
            ("threads", threads),
            ("jitter", jitter), ("attribution-distance", attributionDistance), ("attribution-window", attributionWindow),
            ("forecast-half-life", forecastHalfLife), ("background-bandwidth", backgroundBandwidth),
            ("background-half-life", backgroundHalfLife), ("horizon", horizon),
        ]
    }
}
