"""The optimisation lab: the loss landscape, the step along −∇L and gradient health."""
