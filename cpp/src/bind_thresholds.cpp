#include <accumetrics/thresholds.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"
#include "table_state.hpp"
#include "updates.hpp"

namespace accumetrics::python {

using Thresholds = Guarded<ThresholdCounts>;

static std::vector<py::ssize_t> shape(const ThresholdCounts& tc) {
    return {tc.num_slices(), tc.num_labels(), tc.num_thresholds() + 1, 2};
}

static py::array_t<double> thresholds_array(const ThresholdCounts& tc) {
    return py::array_t<double>(static_cast<py::ssize_t>(tc.thresholds().size()), tc.thresholds().data());
}

void register_thresholds(py::module_& m) {
    py::class_<Thresholds> cls(m, "ThresholdCounts");
    cls.def(py::init([](const py::array_t<double, py::array::c_style | py::array::forcecast>& thresholds, index_t labels,
                         index_t slices) {
                 std::vector<double> t(thresholds.data(), thresholds.data() + thresholds.size());
                 return new Thresholds(std::move(t), labels, slices);
             }),
             py::arg("thresholds"), py::arg("num_labels") = 1, py::arg("num_slices") = 1)
        .def_property_readonly("thresholds", [](const Thresholds& t) { return thresholds_array(t.core); })
        .def_property_readonly("num_labels", [](const Thresholds& t) { return t.core.num_labels(); })
        .def_property_readonly("evenly_spaced", [](const Thresholds& t) { return t.core.evenly_spaced(); })
        .def_property_readonly("bucketing", [](const Thresholds& t) { return std::string(t.core.bucketing()); })
        .def("update", &update_thresholds<ThresholdCounts>, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none(),
             py::arg("slice_ids") = py::none(), py::arg("ignore_out_of_range") = false);
    def_table(cls, &shape);
    def_accumulator(
        cls,
        [](const ThresholdCounts& core) {
            return py::make_tuple(thresholds_array(core), core.num_labels(), core.num_slices(),
                                  table_counts(core.table(), shape(core)), table_sums(core.table(), shape(core)));
        },
        [](const py::tuple& state) {
            auto a = state[0].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
            Thresholds tc(std::vector<double>(a.data(), a.data() + a.size()), state[1].cast<index_t>(),
                          state[2].cast<index_t>());
            restore_table(tc.core.table(), state[3].cast<py::array>(), state[4]);
            return tc;
        });
}

}  // namespace accumetrics::python
