import XCTest
@testable import RouteRisk

final class ConnectionStringTests: XCTestCase {
    func testPasswordsAreMasked() {
        XCTAssertEqual(ConnectionString.masked("PG:dbname=ops host=db password=s3cret user=a"), "PG:dbname=ops host=db password=*** user=a")
        XCTAssertEqual(ConnectionString.masked("PG:dbname=ops password = 'a b\\'c' user=a"), "PG:dbname=ops password = *** user=a")
        XCTAssertEqual(ConnectionString.masked("PG:dbname=ops PASSWORD=x|layername=t"), "PG:dbname=ops PASSWORD=***|layername=t")
        XCTAssertEqual(ConnectionString.masked("postgresql://analyst:p%40ss@db.local:5432/ops"), "postgresql://analyst:***@db.local:5432/ops")
        XCTAssertEqual(ConnectionString.masked("postgresql://analyst@db.local/ops"), "postgresql://analyst@db.local/ops")
        XCTAssertEqual(ConnectionString.masked("PG:dbname=ops oldpassword=x"), "PG:dbname=ops oldpassword=x", "only the keyword itself")
        XCTAssertEqual(ConnectionString.masked("PGPASSWORD=x routerisk"), "PGPASSWORD=*** routerisk")
        XCTAssertEqual(ConnectionString.masked("no secrets here"), "no secrets here")
    }

    func testMessagesLoseTheConnectionsPassword() {
        XCTAssertEqual(ConnectionString.masked("auth failed for s3cret!", about: "PG:password=s3cret!"), "auth failed for ***")
        XCTAssertEqual(ConnectionString.masked("x a b'c y", about: "PG:password='a b\\'c'"), "x *** y")
    }

    func testConnectionStringsAndPaths() {
        XCTAssertTrue(ConnectionString.isConnection("PG:dbname=ops"))
        XCTAssertTrue(ConnectionString.isConnection("/vsizip/a.zip/b.shp"))
        XCTAssertTrue(ConnectionString.isConnection("WFS:https://example.org/wfs"))
        XCTAssertFalse(ConnectionString.isConnection("C:\\data\\routes.shp"), "a drive letter")
        XCTAssertFalse(ConnectionString.isConnection("data/routes.geojson"))
        XCTAssertFalse(ConnectionString.isConnection("/abs/routes.geojson"))
    }

    func testLayerSourceParsing() {
        let scene = URL(fileURLWithPath: "/scenes/ops", isDirectory: true)
        let gpkg = LayerSource.parse("layers.gpkg|layername=routes", relativeTo: scene)
        XCTAssertEqual(gpkg.dataset, "/scenes/ops/layers.gpkg")
        XCTAssertEqual(gpkg.layerName, "routes")
        XCTAssertFalse(gpkg.isConnection)
        let pg = LayerSource.parse("PG:dbname=ops password=x|layername=border.interceptions", relativeTo: scene)
        XCTAssertEqual(pg.dataset, "PG:dbname=ops password=x", "passed to GDAL as it is")
        XCTAssertEqual(pg.layerName, "border.interceptions")
        XCTAssertTrue(pg.isConnection)
        XCTAssertEqual(pg.description, "PG:dbname=ops password=***|layername=border.interceptions")
        XCTAssertEqual(LayerSource.parse("../shared/posts.geojson", relativeTo: scene).dataset, "/scenes/shared/posts.geojson")
        XCTAssertEqual(LayerSource.parse("a.kml|layername=Posts|geometrytype=Point").layerName, "Posts")
        XCTAssertTrue(LayerSource.parse("e.csv", relativeTo: scene).isCSVFile)
        XCTAssertFalse(LayerSource.parse("e.csv|layername=e", relativeTo: scene).isCSVFile)
    }
}
