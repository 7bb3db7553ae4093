"""Parts of the main window's shell that are not views: its actions, toolbar and menus (and
the help text), the remembered window layout and last setting, and File-menu commands such as
saving and opening a network.
"""
