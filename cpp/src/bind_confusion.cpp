#include <accumetrics/confusion.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"
#include "table_state.hpp"
#include "updates.hpp"

namespace accumetrics::python {

using Confusion = Guarded<ConfusionMatrix>;

// Exact sums of int64 weights per (true class, predicted class) cell, as an int64 matrix (wrapping as numpy's).
static py::array_t<std::int64_t> integer_weight_sums(const py::array& y_true, const py::array& y_pred,
                                                     const py::array& sample_weight, index_t num_classes) {
    if (num_classes <= 0) throw py::value_error("num_classes must be positive");
    const index_t n = y_true.size();
    if (y_pred.size() != n || sample_weight.size() != n)
        throw py::value_error("y_true, y_pred and sample_weight must have the same length");
    require_contiguous(sample_weight, "sample_weight");
    if (!holds<std::int64_t>(sample_weight)) throw py::type_error("sample_weight must be int64");
    const auto* w = static_cast<const std::int64_t*>(sample_weight.data());
    py::array_t<std::int64_t> sums({num_classes, num_classes});
    std::fill_n(sums.mutable_data(), num_classes * num_classes, std::int64_t{0});
    std::int64_t* out = sums.mutable_data();
    visit_integer(y_true, "y_true", [&](auto t) {
        visit_integer(y_pred, "y_pred", [&](auto p) {
            py::gil_scoped_release release;
            add_integer_weights(t, p, w, n, num_classes, out);
        });
    });
    return sums;
}

static std::vector<py::ssize_t> shape(const ConfusionMatrix& cm) {
    return {cm.num_slices(), cm.num_classes(), cm.num_classes()};
}

void register_confusion(py::module_& m) {
    m.def("integer_weight_sums", &integer_weight_sums, py::arg("y_true"), py::arg("y_pred"), py::arg("sample_weight"),
          py::arg("num_classes"),
          "Exact int64 sums of integer weights per (true, predicted) cell of a confusion matrix.");
    py::class_<Confusion> cls(m, "ConfusionMatrix");
    cls.def(py::init<index_t, index_t>(), py::arg("num_classes"), py::arg("num_slices") = 1)
        .def_property_readonly("num_classes", [](const Confusion& c) { return c.core.num_classes(); })
        .def("update", &update_confusion<ConfusionMatrix>, py::arg("y_true"), py::arg("y_pred"), py::arg("sample_weight") = py::none(),
             py::arg("slice_ids") = py::none(), py::arg("ignore_out_of_range") = false);
    def_table(cls, &shape);
    def_accumulator(
        cls,
        [](const ConfusionMatrix& core) {
            return py::make_tuple(core.num_classes(), core.num_slices(), table_counts(core.table(), shape(core)),
                                  table_sums(core.table(), shape(core)));
        },
        [](const py::tuple& state) {
            Confusion c(state[0].cast<index_t>(), state[1].cast<index_t>());
            restore_table(c.core.table(), state[2].cast<py::array>(), state[3]);
            return c;
        });
}

}  // namespace accumetrics::python
