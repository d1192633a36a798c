// Poisson bootstraps of the confusion matrix, threshold counts and moments. Each
// takes the same update arguments as its engine, checked the same way.
#include <accumetrics/bootstrap.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"

namespace accumetrics::python {

template <class Engine>
using GuardedBootstrap = Guarded<Bootstrap<Engine>>;

template <class Engine, class A, class B, class W>
static void add_locked(GuardedBootstrap<Engine>& self, const A* a, const B* b, const W* w, const std::int64_t* slice,
                       index_t rows, bool weight_per_value) {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(self.mutex);
    if constexpr (std::is_void_v<W>)
        self.core.add(a, b, static_cast<const float*>(nullptr), slice, rows, weight_per_value);
    else
        self.core.add(a, b, w, slice, rows, weight_per_value);
}

static const char* const ignore_hint = "; pass ignore_out_of_range=True to skip such samples";

static std::string slice_range(index_t slices) { return "not a slice id in [0, " + std::to_string(slices) + ")"; }

static void update_confusion(GuardedBootstrap<ConfusionMatrix>& self, const py::array& y_true, const py::array& y_pred,
                             const py::object& sample_weight, const py::object& slice_ids, bool ignore_out_of_range) {
    const index_t n = y_true.size();
    if (y_pred.size() != n) throw py::value_error("y_true and y_pred must have the same length");
    const index_t classes = self.core.engine().num_classes();
    const std::int64_t* slice = slice_pointer(slice_ids);
    if (!ignore_out_of_range && slice) check_range(slice, n, self.core.num_slices(), "slice_ids", slice_range(self.core.num_slices()), ignore_hint);
    visit_integer(y_true, "y_true", [&](auto t) {
        visit_integer(y_pred, "y_pred", [&](auto p) {
            visit_weights(sample_weight, [&](auto w) {
                if (!ignore_out_of_range) {
                    const std::string what = "not a class in [0, " + std::to_string(classes) + ")";
                    check_range(t, n, classes, "y_true", what, ignore_hint);
                    check_range(p, n, classes, "y_pred", what, ignore_hint);
                }
                check_weights(w, n);
                add_locked(self, t, p, w, slice, n, false);
            });
        });
    });
}

// Rows of `width` values; weights one per row, or one per value when there are as many.
static bool weights_per_value(const py::object& sample_weight, index_t rows, index_t width) {
    if (sample_weight.is_none()) return false;
    const index_t w = sample_weight.cast<py::array>().size();
    const bool per_value = w == rows * width && width > 1;
    if (w != rows && !per_value) throw py::value_error("sample_weight must have one value per row or per value");
    return per_value;
}

static void update_thresholds(GuardedBootstrap<ThresholdCounts>& self, const py::array& y_true, const py::array& y_score,
                              const py::object& sample_weight, const py::object& slice_ids, bool ignore_out_of_range) {
    const index_t values = y_score.size();
    const index_t labels = self.core.engine().num_labels();
    if (y_true.size() != values || values % labels != 0)
        throw py::value_error("y_true and y_score must both hold rows of num_labels values");
    const index_t rows = values / labels;
    const std::int64_t* slice = slice_pointer(slice_ids);
    const bool per_value = weights_per_value(sample_weight, rows, labels);
    if (!ignore_out_of_range && slice) check_range(slice, rows, self.core.num_slices(), "slice_ids", slice_range(self.core.num_slices()), ignore_hint);
    visit_binary(y_true, "y_true", [&](auto t) {
        visit_float(y_score, "y_score", [&](auto s) {
            visit_weights(sample_weight, [&](auto w) {
                if (!ignore_out_of_range) check_range(t, values, 2, "y_true", "not a binary label (0 or 1)", ignore_hint);
                check_finite(s, values, "y_score");
                check_weights(w, per_value ? values : rows);
                add_locked(self, t, s, w, slice, rows, per_value);
            });
        });
    });
}

static void update_moments(GuardedBootstrap<Moments>& self, const py::array& y_pred, const py::object& y_true,
                           const py::object& sample_weight, const py::object& slice_ids) {
    const index_t values = y_pred.size();
    const index_t outputs = self.core.engine().num_outputs();
    if (values % outputs != 0) throw py::value_error("y_pred must hold rows of num_outputs values");
    if (!y_true.is_none() && y_true.cast<py::array>().size() != values)
        throw py::value_error("y_true and y_pred must have the same number of values");
    const index_t rows = values / outputs;
    const std::int64_t* slice = slice_pointer(slice_ids);
    const bool per_value = weights_per_value(sample_weight, rows, outputs);
    if (slice) check_range(slice, rows, self.core.num_slices(), "slice_ids", slice_range(self.core.num_slices()), "");
    visit_float(y_pred, "y_pred", [&](auto x) {
        using X = std::remove_cv_t<std::remove_pointer_t<decltype(x)>>;
        visit_weights(sample_weight, [&](auto w) {
            check_finite(x, values, "y_pred");
            check_weights(w, per_value ? values : rows);
            if (y_true.is_none()) {
                add_locked(self, x, static_cast<const X*>(nullptr), w, slice, rows, per_value);
                return;
            }
            visit_float(y_true.cast<py::array>(), "y_true", [&](auto y) {
                check_finite(y, values, "y_true");
                add_locked(self, x, y, w, slice, rows, per_value);
            });
        });
    });
}

template <class Engine, class Update>
static void bind(py::module_& m, const char* name, Update update) {
    using G = GuardedBootstrap<Engine>;
    using E = Guarded<Engine>;
    py::class_<G> cls(m, name);
    cls.def(py::init([](const E& engine, index_t replicates, std::uint64_t seed, index_t position) {
                 return new G(engine.locked_copy(), replicates, seed, position);
             }),
             py::arg("engine"), py::arg("num_replicates"), py::arg("seed"), py::arg("position") = 0)
        .def_property_readonly("num_replicates", [](const G& g) { return g.core.num_replicates(); })
        .def_property_readonly("num_slices", [](const G& g) { return g.core.num_slices(); })
        .def_property_readonly("seed", [](const G& g) { return g.core.seed(); })
        .def_property_readonly("position", [](const G& g) { return g.read([](const Bootstrap<Engine>& b) { return b.position(); }); })
        .def_property_readonly("start", [](const G& g) { return g.read([](const Bootstrap<Engine>& b) { return b.start(); }); })
        .def_property_readonly("weighted", [](const G& g) {
            if constexpr (std::is_same_v<Engine, Moments>) return false;
            else return g.read([](const Bootstrap<Engine>& b) { return b.engine().table().weighted(); });
        })
        .def("update", update)
        .def("seek", [](G& g, index_t position) { std::lock_guard<std::mutex> lock(g.mutex); g.core.seek(position); },
             py::arg("position"))
        .def("replicate", [](const G& g, index_t b) {
                 if (b < 0 || b >= g.core.num_replicates()) throw py::index_error("replicate index out of range");
                 return E(g.read([b](const Bootstrap<Engine>& boot) { return boot.replicate(b); }));
             }, py::arg("index"))
        .def("engine", [](const G& g) { return E(g.read([](const Bootstrap<Engine>& b) { return b.engine(); })); });
    def_accumulator(
        cls,
        [](const Bootstrap<Engine>& core) {
            py::array_t<index_t> covered(std::vector<py::ssize_t>{py::ssize_t(core.covered().size()), 2});
            index_t* c = covered.mutable_data();
            for (const auto& r : core.covered()) {
                *c++ = r.first;
                *c++ = r.second;
            }
            return py::make_tuple(E(core.engine()), core.num_replicates(), core.seed(), core.start(), core.position(),
                                  covered);
        },
        [](const py::tuple& state) {
            const E& engine = state[0].cast<const E&>();
            const index_t start = state[3].cast<index_t>(), position = state[4].cast<index_t>();
            std::vector<Coverage::Range> covered{{start, position}};  // states pickled before coverage was kept
            if (state.size() > 5) {
                auto c = state[5].cast<py::array_t<index_t, py::array::c_style | py::array::forcecast>>();
                if (c.ndim() != 2 || c.shape(1) != 2) throw py::value_error("not a bootstrap state");
                covered.clear();
                for (py::ssize_t i = 0; i < c.shape(0); ++i) covered.emplace_back(c.at(i, 0), c.at(i, 1));
            }
            return G(Bootstrap<Engine>::restore(engine.locked_copy(), state[1].cast<index_t>(),
                                                state[2].cast<std::uint64_t>(), start, position, covered));
        });
}

void register_bootstrap(py::module_& m) {
    bind<ConfusionMatrix>(m, "ConfusionMatrixBootstrap", &update_confusion);
    bind<ThresholdCounts>(m, "ThresholdCountsBootstrap", &update_thresholds);
    bind<Moments>(m, "MomentsBootstrap", &update_moments);
    m.def("poisson_counts",
          [](std::uint64_t seed, index_t position, index_t n, index_t replicate) {
              if (n < 0 || replicate < 0) throw py::value_error("n and replicate must be non-negative");
              py::array_t<std::uint8_t> out(n);
              std::uint8_t* k = out.mutable_data();
              py::gil_scoped_release release;
              PoissonStream(seed).column(position, n, replicate, k);
              return out;
          },
          py::arg("seed"), py::arg("position"), py::arg("n"), py::arg("replicate"),
          "Poisson(1) counts of one bootstrap replicate for rows at positions [position, position + n).");
}

}  // namespace accumetrics::python
