"""Issue 10.11: one notation for a weight (hover text, editor, status bar, walkthrough);
activation names spelled the same in the menus and on the diagram; k explained."""
from gui.network.items import LabelItem
from gui.network.tooltips import bias_name, edge_tooltip, weight_name
from model.config import ExperimentConfig
from model.walkthrough_text import output_delta_sentence, pair


def test_weight_and_bias_names_follow_the_walkthrough():
    # W[0][0, 1]: from input 1 to neuron 2 of hidden layer 1 → the walkthrough's w₁₂
    assert weight_name(0, 0, 1, n_columns=4) == "w₁₂ into hidden layer 1"
    assert f"w{pair(0, 1)}" == "w₁₂"                       # what the walkthrough writes
    assert weight_name(2, 1, 0, n_columns=4) == "w₂₁ into output"
    assert bias_name(1, 1, n_columns=4) == "b₂ of hidden layer 1"
    text = edge_tooltip(0, 0, 1, 4, ["X₁", "X₂"], 0.5, None, None, None, editable=True)
    assert text.startswith("Weight w₁₂ into hidden layer 1: X₁ → hidden layer 1 neuron 2")


def test_editor_and_status_bar_use_the_same_name(qtbot, window):
    view = window.network_view
    assert view.open_editor(("edge", 0, 0, 1))
    assert view.value_editor.label.text() == "w₁₂ into hidden layer 1 ="
    view.value_editor.line_edit.setText("0.25")
    view.value_editor._accept()
    assert window.statusBar().currentMessage() == "w₁₂ into hidden layer 1 set to 0.25"
    assert view.open_editor(("bias", 1, 1))
    assert view.value_editor.label.text() == "b₂ of hidden layer 1 ="


def test_activation_names_read_the_same_in_the_menu_and_on_the_diagram(qtbot, make_window):
    window = make_window(ExperimentConfig(activations=("leaky_relu",)))
    window.control_dock.hide()                          # room for the diagram's long headers
    qtbot.waitUntil(lambda: window.network_view.width() > 400)
    combo = window.control_panel.network.findChildren(type(window.control_panel.network.loss))
    shown = {c.currentText() for c in combo}
    assert "leaky relu" in shown
    forms = [f for _, header_forms in window.network_view._diagram.headers for f in header_forms]
    assert "leaky relu\n4 neurons" in forms and not any("leaky_relu" in f for f in forms)
    shown = [i.text for i in window.network_view.scene().items() if isinstance(i, LabelItem)]
    assert "leaky relu\n4 neurons" in shown


def test_the_walkthrough_says_what_k_is():
    for softmax in (False, True):
        assert "k = the number of outputs" in output_delta_sentence(False, softmax)
