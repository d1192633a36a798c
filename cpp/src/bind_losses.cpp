#include <accumetrics/losses.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "centered_state.hpp"
#include "register.hpp"

namespace accumetrics::python {

using GuardedLosses = Guarded<LossSums>;

// -1, or the index of the first value outside the loss's domain (nothing is added then).
static index_t update(GuardedLosses& self, const py::array& y_true, const py::array& y_pred,
                      const py::object& sample_weight, const py::object& slice_ids) {
    const index_t values = y_pred.size();
    const index_t outputs = self.core.num_outputs();
    if (values % outputs != 0) throw py::value_error("y_pred must hold rows of num_outputs values");
    if (y_true.size() != values) throw py::value_error("y_true and y_pred must have the same number of values");
    require_contiguous(y_true, "y_true");
    require_contiguous(y_pred, "y_pred");
    const index_t rows = values / outputs;
    if (!sample_weight.is_none() && sample_weight.cast<py::array>().size() != rows)
        throw py::value_error("sample_weight must have one value per row");
    const std::int64_t* slice = slice_pointer(slice_ids);
    if (slice)
        check_range(slice, rows, self.core.num_slices(), "slice_ids",
                    "not a slice id in [0, " + std::to_string(self.core.num_slices()) + ")", "");
    index_t bad = -1;
    visit_float(y_true, "y_true", [&](auto y) {
        visit_float(y_pred, "y_pred", [&](auto mu) {
            visit_weights(sample_weight, [&](auto w) {
                py::gil_scoped_release release;
                check_weights(w, rows);
                std::lock_guard<std::mutex> lock(self.mutex);
                bad = self.core.add(y, mu, typed(w), slice, rows);
            });
        });
    });
    return bad;
}

static py::array_t<double> values(const LossSums& m) {
    py::array_t<double> out(std::vector<py::ssize_t>{m.num_slices(), m.num_outputs(), num_loss_stats});
    double* o = out.mutable_data();
    for (const CompensatedSum& s : m.sums()) *o++ = s.value();
    return out;
}

void register_losses(py::module_& m) {
    py::enum_<LossKind>(m, "LossKind").value("tweedie", LossKind::tweedie).value("pinball", LossKind::pinball);
    m.attr("num_loss_stats") = int(num_loss_stats);

    py::class_<GuardedLosses> cls(m, "LossSums");
    cls.def(py::init<LossKind, double, index_t, index_t>(), py::arg("kind"), py::arg("parameter"),
            py::arg("num_outputs") = 1, py::arg("num_slices") = 1)
        .def_property_readonly("num_outputs", [](const GuardedLosses& g) { return g.core.num_outputs(); })
        .def_property_readonly("num_slices", [](const GuardedLosses& g) { return g.core.num_slices(); })
        .def("update", &update, py::arg("y_true"), py::arg("y_pred"), py::arg("sample_weight") = py::none(),
             py::arg("slice_ids") = py::none(),
             "Adds a batch; returns -1, or the index of the first value outside the loss's domain (then adds nothing).")
        .def("sums", [](const GuardedLosses& g) { return values(g.locked_copy()); },
             "Weighted sums, shape (slices, outputs, num_loss_stats): w, w*loss, w*y, w*f(y), w*(y-o), w*(y-o)^2.")
        .def("counts", [](const GuardedLosses& g) { return counts(g.locked_copy()); });
    def_accumulator(
        cls,
        [](const LossSums& core) {
            return py::make_tuple(int(core.kind()), core.parameter(), core.num_outputs(), core.num_slices(),
                                  counts(core), exact_state(core), origins(core), core.has_origin());
        },
        [](const py::tuple& state) {
            GuardedLosses g(LossKind(state[0].cast<int>()), state[1].cast<double>(), state[2].cast<index_t>(),
                            state[3].cast<index_t>());
            restore_sums(g.core, state, 4);
            return g;
        });
}

}  // namespace accumetrics::python
