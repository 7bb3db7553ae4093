"""Parts of the main window's shell that are not views: its actions, toolbar and menus (and
the help text), the remembered window layout and last setting, and File-menu commands: opening a
CSV or session file (``file_opening``: Open CSV…, Open recent, a file dropped on the window, big
CSVs loaded in the background by ``csv_loading``), saving and opening a network or a session,
export; and the Controls dock stepping aside for a mode that needs the room (``controls_aside``).
"""
