"""Views and helpers shared by more than one workspace: the colour scheme (blue positive,
orange negative), the live loss plot and the decision-boundary view with its grid evaluator.
Nothing here knows about a particular window or mode.
"""
