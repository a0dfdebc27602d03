#!/bin/sh
# Records the golden outputs of GoldenRegressionTests with a given routerisk binary (the
# golden files in this folder were recorded with main at db4363b: see README.md).
#   Tests/routeriskCLITests/Golden/record.sh /work/baseline/.build/release/routerisk
# Run from the repository root. Writes only into Tests/routeriskCLITests/Golden/.
set -eu
BIN=${1:?usage: record.sh ROUTERISK_BINARY}
GOLDEN=Tests/routeriskCLITests/Golden
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The sample scene of data/, default options.
"$BIN" score --scene data --out "$WORK/sample" --quiet
# The sample scene with conditional-randomisation p-values (gi_p_sim).
"$BIN" score --scene data --permutations 199 --seed 5 --out "$WORK/sample-perm" --quiet

# The 20,000-event scene: its inputs are committed (scene20k/*.gz); the geography is data/'s.
mkdir -p "$WORK/scene20k"
for f in coastline.geojson borders.geojson posts.geojson; do cp "data/$f" "$WORK/scene20k/$f"; done
gzip -dc "$GOLDEN/scene20k/routes.geojson.gz" > "$WORK/scene20k/routes.geojson"
gzip -dc "$GOLDEN/scene20k/interceptions.csv.gz" > "$WORK/scene20k/interceptions.csv"
cp "$GOLDEN/scene20k/scene.toml" "$WORK/scene20k/scene.toml"
"$BIN" score --scene "$WORK/scene20k" --out "$WORK/out20k" --quiet
"$BIN" replay --scene "$WORK/scene20k" --from 2025-01-01 --to 2025-11-27 --step 30d \
  --out "$WORK/replay20k" --quiet

# summary.json without stages_s (wall times); GeoJSON gzipped without name or time stamp.
strip_stages() {
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("stages_s",None); print(json.dumps(d,indent=1,sort_keys=True,ensure_ascii=False))' "$1" > "$2"
}
mkdir -p "$GOLDEN/sample" "$GOLDEN/sample-perm" "$GOLDEN/out20k" "$GOLDEN/replay20k"
for run in sample out20k; do
  gzip -9 -n -c "$WORK/$run/routes.geojson" > "$GOLDEN/$run/routes.geojson.gz"
  gzip -9 -n -c "$WORK/$run/hotspots.geojson" > "$GOLDEN/$run/hotspots.geojson.gz"
  strip_stages "$WORK/$run/summary.json" "$GOLDEN/$run/summary.json"
done
gzip -9 -n -c "$WORK/sample-perm/hotspots.geojson" > "$GOLDEN/sample-perm/hotspots.geojson.gz"
cp "$WORK/replay20k/replay-metrics.csv" "$GOLDEN/replay20k/replay-metrics.csv"
cp "$WORK/replay20k/replay-summary.json" "$GOLDEN/replay20k/replay-summary.json"
