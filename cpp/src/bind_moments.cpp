#include <accumetrics/moments.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"

namespace accumetrics::python {

using GuardedMoments = Guarded<Moments>;

template <class F>
decltype(auto) visit_optional_float(const py::object& a, const char* name, F&& f) {
    if (a.is_none()) return f(static_cast<const void*>(nullptr));
    return visit_float(a.cast<py::array>(), name, std::forward<F>(f));
}

static void update(GuardedMoments& self, const py::array& y_pred, const py::object& y_true, const py::object& sample_weight,
                   const py::object& slice_ids) {
    const index_t values = y_pred.size();
    const index_t outputs = self.core.num_outputs();
    if (values % outputs != 0) throw py::value_error("y_pred must hold rows of num_outputs values");
    if (!y_true.is_none() && y_true.cast<py::array>().size() != values)
        throw py::value_error("y_true and y_pred must have the same number of values");
    const index_t rows = values / outputs;
    const std::int64_t* slice = slice_pointer(slice_ids);
    bool weight_per_value = false;
    if (!sample_weight.is_none()) {
        const index_t w = sample_weight.cast<py::array>().size();
        weight_per_value = w == values && outputs > 1;
        if (w != rows && !weight_per_value) throw py::value_error("sample_weight must have one value per row or per value");
    }
    if (slice)
        check_range(slice, rows, self.core.num_slices(), "slice_ids", "not a slice id in [0, " + std::to_string(self.core.num_slices()) + ")", "");
    visit_float(y_pred, "y_pred", [&](auto x) {
        visit_optional_float(y_true, "y_true", [&](auto y) {
            visit_weights(sample_weight, [&](auto w) {
                py::gil_scoped_release release;
                check_weights(w, weight_per_value ? values : rows);
                std::lock_guard<std::mutex> lock(self.mutex);
                // Values are checked through the sums: only when those come out NaN
                // or infinite is the input scanned, to name the culprit.
                if (self.core.add(x, typed(y), typed(w), slice, rows, weight_per_value, true)) return;
                check_finite(x, values, "y_pred");
                if (y) check_finite(typed(y), values, "y_true");
                self.core.add(x, typed(y), typed(w), slice, rows, weight_per_value);  // finite, but squares overflow
            });
        });
    });
}

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

// Every sum as (total, compensation) pairs: restores the state exactly.
static py::array_t<double> exact_state(const Moments& m) {
    py::array_t<double> out(std::vector<py::ssize_t>{m.num_slices(), m.num_outputs(), num_sums, 2});
    double* o = out.mutable_data();
    for (const CompensatedSum& s : m.sums()) {
        *o++ = s.sum;
        *o++ = s.error;
    }
    return out;
}

static py::array_t<double> origins(const Moments& m) {
    return py::array_t<double>(static_cast<py::ssize_t>(m.origins().size()), m.origins().data());
}

static py::array_t<std::int64_t> counts(const Moments& m) {
    return py::array_t<std::int64_t>(static_cast<py::ssize_t>(m.counts().size()), m.counts().data());
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
        .def("update", &update, py::arg("y_pred"), py::arg("y_true") = py::none(), py::arg("sample_weight") = py::none(),
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
            auto c = state[2].cast<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>();
            auto s = state[3].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
            auto& sums = g.core.sums();
            if (std::size_t(c.size()) != g.core.counts().size() || std::size_t(s.size()) != 2 * sums.size())
                throw py::value_error("state does not match the accumulator's shape");
            std::copy_n(c.data(), c.size(), g.core.counts().data());
            for (std::size_t i = 0; i < sums.size(); ++i) sums[i] = CompensatedSum{s.data()[2 * i], s.data()[2 * i + 1]};
            auto o = state[4].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
            g.core.set_origins(std::vector<double>(o.data(), o.data() + o.size()), state[5].cast<bool>());
            return g;
        });
}

}  // namespace accumetrics::python
