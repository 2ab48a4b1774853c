"""Renderers: the bundle, history page and chart, markers, discussions, placement in other generators."""
