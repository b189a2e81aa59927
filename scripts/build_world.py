"""Build the world outline of the incidents map, src/factx/data/show/world.json, from Natural Earth.

The source is `countries-110m.json` of the npm package world-atlas 2.0.2 (TopoJSON of Natural Earth's
1:110m Admin 0 countries; Natural Earth is public domain, world-atlas is ISC-licensed):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world.py package/countries-110m.json

Each country becomes one SVG path in an equirectangular plane (x = longitude, y = -latitude, degrees,
one decimal), so the page draws it with no projection code and no network.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "factx" / "data" / "show" / "world.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (lon, lat), undoing quantization and delta encoding."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One polygon ring from its arcs (a negative index ~i is arc i reversed)."""
    out: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(points if not out else points[1:])
    return out


def path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data for rings, rounded to 0.1 degree, with repeated points dropped."""
    parts = []
    for r in rings:
        pts = []
        for lon, lat in r:
            p = (round(lon, 1), round(-lat, 1))
            if not pts or pts[-1] != p:
                pts.append(p)
        # A ring that crosses the antimeridian is cut where it jumps across the map, not drawn across it.
        pieces, cur = [], []
        for p in pts:
            if cur and abs(p[0] - cur[-1][0]) > 180:
                pieces.append(cur)
                cur = []
            cur.append(p)
        pieces.append(cur)
        for piece in pieces:
            if len(piece) < 3:
                continue
            head, *rest = piece
            parts.append(f"M{head[0]:g} {head[1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in rest) + "Z")
    return "".join(parts)


def main(src: str) -> None:
    """Write world.json from the TopoJSON file ``src``."""
    topo = json.loads(Path(src).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    countries = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]] if geom["type"] == "Polygon" else []
        d = path([ring(r, arcs) for poly in polys for r in poly])
        if d:
            countries.append({"name": geom.get("properties", {}).get("name"), "d": d})
    out = {"source": "Natural Earth 1:110m Admin 0 countries (public domain), via world-atlas 2.0.2 countries-110m.json",
           "plane": "x = longitude, y = -latitude (degrees)", "countries": countries}
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(countries)} countries, {OUT.stat().st_size:,} bytes -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/countries-110m.json")
