"""The network diagram: ``NetworkView`` (a QGraphicsView) and the small objects it is made of.

The geometry (``layout``), the batched scene items for edges and node columns (``edges``,
``items``), the styling of edges and bias markers from weights or gradients, the walkthrough's
annotations (numbers on edges, texts beside nodes, focus), hover/click/zoom interaction, the
columns spread over the width for the walkthrough (``width_filling``), the inline value editor
and the tooltip texts. The view paints what it is given and never changes
the model: edits leave it as signals.
"""
