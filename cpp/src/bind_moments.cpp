#include <accumetrics/moments.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "centered_state.hpp"
#include "register.hpp"
#include "updates.hpp"

namespace accumetrics::python {

using GuardedMoments = Guarded<Moments>;

// (slices, outputs, num_stats) totals of the Stat sums; `centered` puts the sums
// about the origins in place of the first and second moments.
static py::array_t<double> stat_sums(const Moments& m, bool centered) {
    py::array_t<double> out(std::vector<py::ssize_t>{m.num_slices(), m.num_outputs(), num_stats});
    double* o = out.mutable_data();
    const auto& sums = m.sums();
    for (std::size_t i = 0; i < sums.size(); i += num_sums, o += num_stats) {
        for (int s = 0; s < num_stats; ++s) o[s] = sums[i + s].value();
        if (!centered) continue;
        for (int s = sum_pred; s <= sum_pred_true; ++s) o[s] = sums[i + s - sum_pred + centered_pred].value();
    }
    return out;
}

void register_moments(py::module_& m) {
    py::enum_<Stat>(m, "Stat")
        .value("sum_weight", sum_weight)
        .value("sum_pred", sum_pred)
        .value("sum_true", sum_true)
        .value("sum_pred_squared", sum_pred_squared)
        .value("sum_true_squared", sum_true_squared)
        .value("sum_pred_true", sum_pred_true)
        .value("sum_absolute_error", sum_absolute_error)
        .value("sum_squared_error", sum_squared_error);
    m.attr("num_stats") = int(num_stats);

    py::class_<GuardedMoments> cls(m, "Moments");
    cls.def(py::init<index_t, index_t>(), py::arg("num_outputs") = 1, py::arg("num_slices") = 1)
        .def_property_readonly("num_outputs", [](const GuardedMoments& g) { return g.core.num_outputs(); })
        .def_property_readonly("num_slices", [](const GuardedMoments& g) { return g.core.num_slices(); })
        .def("update", &update_moments<Moments>, py::arg("y_pred"), py::arg("y_true") = py::none(), py::arg("sample_weight") = py::none(),
             py::arg("slice_ids") = py::none())
        .def("sums", [](const GuardedMoments& g) { return stat_sums(g.locked_copy(), false); },
             "Weighted sums, shape (slices, outputs, stats).")
        .def("centered_sums", [](const GuardedMoments& g) { return stat_sums(g.locked_copy(), true); },
             "The same, with x - origin and y - origin in the first and second moments (x - y is not shifted).")
        .def("origins", [](const GuardedMoments& g) { return origins(g.locked_copy()); }, "The origin of each output.")
        .def("counts", [](const GuardedMoments& g) { return counts(g.locked_copy()); });
    def_accumulator(
        cls,
        [](const Moments& core) {
            return py::make_tuple(core.num_outputs(), core.num_slices(), counts(core), exact_state(core), origins(core),
                                  core.has_origin());
        },
        [](const py::tuple& state) {
            GuardedMoments g(state[0].cast<index_t>(), state[1].cast<index_t>());
            restore_sums(g.core, state, 2);
            return g;
        });
}

}  // namespace accumetrics::python
