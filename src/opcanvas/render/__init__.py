"""render."""

# value stream maps (SVG, draw.io, Mermaid); `x as x` marks a re-export
from opcanvas.render.drawio import to_drawio as to_drawio
from opcanvas.render.mapmodel import MapView as MapView
from opcanvas.render.mapmodel import build_map as build_map
from opcanvas.render.maps import MAP_FORMATS as MAP_FORMATS
from opcanvas.render.maps import render_map as render_map
from opcanvas.render.mermaid import to_mermaid as to_mermaid
from opcanvas.render.vsm import render_vsm_svg as render_vsm_svg
