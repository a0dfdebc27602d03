import Foundation

/// A minimal QGIS project (`.qgs`) holding layers with their styles, paths relative to the
/// project file. QGIS 3.22 applies a default style's temporal section only when the style is
/// loaded again (qgis/QGIS#42223), but it reads a project's layers whole: the replay's project
/// opens with the Temporal Controller ready to play.
enum QGISProject {
    struct Layer {
        let id: String
        let name: String
        /// Relative to the project file (`./replay.geojson`, `./replay.gpkg|layername=replay`).
        let source: String
        let style: LayerStyle
    }

    /// The project; `range` (ISO 8601 start and end) becomes the project's time range, played
    /// in steps of `stepDays`.
    static func qgs(title: String, layers: [Layer], range: (start: String, end: String)?, stepDays: Double = 1) -> String {
        let x = QMLDocument.xml
        var lines = [
            "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>",
            "<qgis projectname=\"\(x(title))\" version=\"3.22.0\">",
            "  <title>\(x(title))</title>",
            "  <projectCrs>\(wgs84)</projectCrs>",
            "  <layer-tree-group>",
        ]
        for l in layers {
            lines.append("    <layer-tree-layer id=\"\(x(l.id))\" name=\"\(x(l.name))\" source=\"\(x(l.source))\" providerKey=\"ogr\" checked=\"Qt::Checked\" expanded=\"1\"/>")
        }
        lines.append("  </layer-tree-group>")
        lines.append("  <projectlayers>")
        for l in layers {
            let geometry = ["Point", "Line", "Polygon", "Unknown geometry"][l.style.geometry.rawValue]
            lines.append("    <maplayer type=\"vector\" geometry=\"\(geometry)\" labelsEnabled=\"\(l.style.labels != nil ? 1 : 0)\" styleCategories=\"AllStyleCategories\">")
            lines.append("      <id>\(x(l.id))</id>")
            lines.append("      <datasource>\(x(l.source))</datasource>")
            lines.append("      <layername>\(x(l.name))</layername>")
            lines.append("      <srs>\(wgs84)</srs>")
            lines.append("      <provider encoding=\"UTF-8\">ogr</provider>")
            // The style's body: everything between <qgis …> and </qgis> of its QML.
            let qml = QMLDocument.qml(l.style).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let body = qml.drop { !$0.hasPrefix("<qgis ") }.dropFirst().prefix { $0 != "</qgis>" }
            lines += body.map { "    " + $0 }
            lines.append("    </maplayer>")
        }
        lines.append("  </projectlayers>")
        if let range {
            lines.append("  <ProjectTimeSettings timeStepUnit=\"d\" timeStep=\"\(QMLDocument.number(stepDays))\" frameRate=\"1\" cumulativeTemporalRange=\"0\">")
            lines.append("    <TemporalRange><start>\(x(range.start))</start><end>\(x(range.end))</end></TemporalRange>")
            lines.append("  </ProjectTimeSettings>")
        }
        lines.append("  <properties><Paths><Absolute type=\"bool\">false</Absolute></Paths></properties>")
        lines.append("</qgis>")
        return lines.joined(separator: "\n") + "\n"
    }

    private static let wgs84 = "<spatialrefsys><authid>EPSG:4326</authid></spatialrefsys>"
}
