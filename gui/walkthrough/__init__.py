"""Step through backprop: the mode that plays one sample's forward pass, loss, backward pass
and update as a list of steps (``model.walkthrough``), with its dock panel, player controls,
formula panel, activation plot and the annotations it puts on the network diagram.
"""
