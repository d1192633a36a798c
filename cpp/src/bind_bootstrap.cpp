// Poisson bootstraps of the confusion matrix, threshold counts and moments. Each
// takes its engine's update (updates.hpp): the same arguments, checked the same way.
#include <accumetrics/bootstrap.hpp>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"
#include "updates.hpp"

namespace accumetrics::python {

template <class Engine>
using GuardedBootstrap = Guarded<Bootstrap<Engine>>;

// `update` is the engine's, `args` its argument names.
template <class Engine, class Update, class... Args>
static void bind(py::module_& m, const char* name, Update update, const Args&... args) {
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
        .def("update", update, args...)
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
    bind<ConfusionMatrix>(m, "ConfusionMatrixBootstrap", &update_confusion<Bootstrap<ConfusionMatrix>>, py::arg("y_true"),
                          py::arg("y_pred"), py::arg("sample_weight") = py::none(), py::arg("slice_ids") = py::none(),
                          py::arg("ignore_out_of_range") = false);
    bind<ThresholdCounts>(m, "ThresholdCountsBootstrap", &update_thresholds<Bootstrap<ThresholdCounts>>,
                          py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none(),
                          py::arg("slice_ids") = py::none(), py::arg("ignore_out_of_range") = false);
    bind<Moments>(m, "MomentsBootstrap", &update_moments<Bootstrap<Moments>>, py::arg("y_pred"),
                  py::arg("y_true") = py::none(), py::arg("sample_weight") = py::none(), py::arg("slice_ids") = py::none());
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
