// Drawings of a small network trained on 2-D points, shared by the network lab and the
// gates panel's 2-2-1 network: the decision map (the model's output over the plane, the
// points on top), each hidden neuron's own map, and the network's graph.
#pragma once

#include "training/network_session.h"
#include "training/network_view.h"

namespace nnplay::ui {

void draw_decision_map(const NetworkSnapshot& snap, const NetworkView& view, float size, bool show_hidden_lines);
void draw_hidden_maps(const NetworkSnapshot& snap, const NetworkView& view);
void draw_network_graph(const NetworkSnapshot& snap);
// The graph at a given height (0: from the widest layer), each hidden neuron and the
// output drawn as its heat map from view (optional: null draws plain circles).
void draw_network_graph(const NetworkSnapshot& snap, const NetworkView* view, float height);

}  // namespace nnplay::ui
