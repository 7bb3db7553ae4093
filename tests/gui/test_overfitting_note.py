"""The status bar's overfitting note follows the loss plot: said while the run overfits,
gone when it no longer does — unless something else was said since."""


def test_the_overfitting_note_leaves_the_status_bar_when_the_run_stops_overfitting(make_window):
    window = make_window()
    plot, status = window.loss_plot, window.statusBar()
    note = "Overfitting: the test loss is up 12 % since epoch 40 while the training loss falls."
    plot.overfittingChanged.emit(note)
    assert status.currentMessage() == note
    plot.overfittingChanged.emit("")
    assert status.currentMessage() == ""
    plot.overfittingChanged.emit(note)
    window.show_status("Restored the weights of epoch 40", 0)      # said since: it stays
    plot.overfittingChanged.emit("")
    assert status.currentMessage() == "Restored the weights of epoch 40"
