#include <accumetrics/thresholds.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"
#include "table_state.hpp"

namespace accumetrics::python {

using Thresholds = Guarded<ThresholdCounts>;

static void update(Thresholds& self, const py::array& y_true, const py::array& y_score, const py::object& sample_weight,
                   const py::object& slice_ids, bool ignore_out_of_range) {
    const index_t values = y_score.size();
    const index_t labels = self.core.num_labels();
    if (y_true.size() != values || values % labels != 0)
        throw py::value_error("y_true and y_score must both hold rows of num_labels values");
    const index_t rows = values / labels;
    const std::int64_t* slice = slice_pointer(slice_ids);
    bool weight_per_value = false;
    if (!sample_weight.is_none()) {
        const index_t w = sample_weight.cast<py::array>().size();
        weight_per_value = w == values && labels > 1;
        if (w != rows && !weight_per_value) throw py::value_error("sample_weight must have one value per row or per score");
    }
    visit_binary(y_true, "y_true", [&](auto t) {
        visit_float(y_score, "y_score", [&](auto s) {
            visit_weights(sample_weight, [&](auto w) {
                const index_t slices = self.core.num_slices();
                auto check_labels = [&] {
                    const char* hint = "; pass ignore_out_of_range=True to skip such samples";
                    check_range(t, values, 2, "y_true", "not a binary label (0 or 1)", hint);
                    if (slice)
                        check_range(slice, rows, slices, "slice_ids", "not a slice id in [0, " + std::to_string(slices) + ")", hint);
                };
                py::gil_scoped_release release;
                std::lock_guard<std::mutex> lock(self.mutex);
                // Unweighted counts are checked while they are filled, and undone
                // exactly on bad input; float sums are checked first instead.
                if (!ignore_out_of_range && !w && !self.core.table().weighted()) {
                    if (self.core.add(t, s, typed(w), slice, rows, false, true)) {
                        check_labels();
                        check_finite(s, values, "y_score");
                        throw std::logic_error("an update was refused without a bad label or score");
                    }
                    return;
                }
                if (!ignore_out_of_range) check_labels();
                check_finite(s, values, "y_score");
                check_weights(w, weight_per_value ? values : rows);
                self.core.add(t, s, typed(w), slice, rows, weight_per_value);
            });
        });
    });
}

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
        .def_property_readonly("num_slices", [](const Thresholds& t) { return t.core.num_slices(); })
        .def_property_readonly("evenly_spaced", [](const Thresholds& t) { return t.core.evenly_spaced(); })
        .def_property_readonly("bucketing", [](const Thresholds& t) { return std::string(t.core.bucketing()); })
        .def_property_readonly("weighted", [](const Thresholds& t) { return t.read([](const ThresholdCounts& m) { return m.table().weighted(); }); })
        .def("update", &update, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none(),
             py::arg("slice_ids") = py::none(), py::arg("ignore_out_of_range") = false)
        .def("counts", [](const Thresholds& t) { return t.read([](const ThresholdCounts& m) { return table_counts(m.table(), shape(m)); }); })
        .def("sums", [](const Thresholds& t) { return t.read([](const ThresholdCounts& m) { return table_sums(m.table(), shape(m)); }); });
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
