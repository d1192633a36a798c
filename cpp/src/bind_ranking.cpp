#include <accumetrics/ranking.hpp>
#include <accumetrics/score_histogram.hpp>

#include <pybind11/stl.h>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"

namespace accumetrics::python {

using namespace pybind11::literals;

static const char* const binned_ranking_needs =
    "(the certified error bounds of binned ROC AUC and average precision assume non-negative weights)";

// y_true (n,) or (n, C) of 0/1, y_score of the same shape, sample_weight (n,) or None.
struct Columns {
    index_t rows;
    index_t columns;
};

static Columns columns_of(const py::array& y_true, const py::array& y_score, const py::object& sample_weight) {
    if (y_score.ndim() != 1 && y_score.ndim() != 2) throw py::value_error("y_score must be 1-D or 2-D");
    if (y_true.ndim() != y_score.ndim() || y_true.size() != y_score.size())
        throw py::value_error("y_true and y_score must have the same shape");
    Columns c{y_score.ndim() ? index_t(y_score.shape(0)) : 0, y_score.ndim() == 2 ? index_t(y_score.shape(1)) : 1};
    if (!sample_weight.is_none() && sample_weight.cast<py::array>().size() != c.rows)
        throw py::value_error("sample_weight must have one value per row");
    return c;
}

// Calls f(label, score, weight) with typed pointers (weight: `const void*` null without weights).
template <class F>
void visit_ranking(const py::array& y_true, const py::array& y_score, const py::object& sample_weight, F&& f) {
    visit_binary(y_true, "y_true", [&](auto t) {
        visit_float(y_score, "y_score", [&](auto s) { visit_weights(sample_weight, [&](auto w) { f(t, s, w); }); });
    });
}

// The key range of each column, read with the GIL released; raises for the first bad
// score or weight when a range says there is one.
template <class S, class W>
std::vector<KeyRange<key_of_t<S>>> key_ranges(const S* s, const W* weight, const Columns& c) {
    std::vector<KeyRange<key_of_t<S>>> ranges(std::size_t(c.columns));
    bool valid = true;
    {
        py::gil_scoped_release release;
        const int threads = int(std::max<index_t>(1, std::min<index_t>(get_num_threads(), c.columns)));
        parallel_chunks(c.columns, threads, [&](index_t begin, index_t end, int) {
            for (index_t k = begin; k < end; ++k) ranges[k] = key_range(s + k, weight, c.rows, c.columns);
        });
        for (const auto& r : ranges) valid &= r.valid;
    }
    if (!valid) {
        check_finite(s, c.rows * c.columns, "y_score");
        check_weights(weight, c.rows);
    }
    return ranges;
}

// (positives, negatives, roc_auc, average_precision), each of shape (C,).
static py::tuple summary(const py::array& y_true, const py::array& y_score, const py::object& sample_weight,
                         bool average_precision) {
    const Columns c = columns_of(y_true, y_score, sample_weight);
    std::vector<RankingSummary> out(std::size_t(c.columns));
    visit_ranking(y_true, y_score, sample_weight, [&](auto t, auto s, auto w) {
        using W = weight_t<decltype(w)>;
        const auto* weight = static_cast<const W*>(w);
        const auto ranges = key_ranges(s, weight, c);
        py::gil_scoped_release release;
        const int threads = std::min<index_t>(get_num_threads(), c.columns);
        parallel_chunks(c.columns, std::max(threads, 1), [&](index_t begin, index_t end, int) {
            for (index_t k = begin; k < end; ++k)
                out[k] = ranking_summary(t + k, s + k, weight, c.rows, c.columns, ranges[k], average_precision);
        });
    });
    py::array_t<double> pos(c.columns), neg(c.columns), auc(c.columns), ap(c.columns);
    for (index_t k = 0; k < c.columns; ++k) {
        pos.mutable_at(k) = out[k].positives;
        neg.mutable_at(k) = out[k].negatives;
        auc.mutable_at(k) = out[k].roc_auc;
        ap.mutable_at(k) = out[k].average_precision;
    }
    return py::make_tuple(pos, neg, auc, ap);
}

template <class T>
static py::array_t<T> to_array(std::vector<T>&& v) {
    auto* heap = new std::vector<T>(std::move(v));
    py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>(py::ssize_t(heap->size()), heap->data(), owner);
}

// (thresholds, tps, fps) of a 1-D column: distinct scores decreasing.
static py::tuple curve(const py::array& y_true, const py::array& y_score, const py::object& sample_weight) {
    const Columns c = columns_of(y_true, y_score, sample_weight);
    if (c.columns != 1 || y_score.ndim() != 1) throw py::value_error("a curve needs 1-D y_true and y_score");
    RankingCurve out;
    visit_ranking(y_true, y_score, sample_weight, [&](auto t, auto s, auto w) {
        using W = weight_t<decltype(w)>;
        const auto* weight = static_cast<const W*>(w);
        const auto ranges = key_ranges(s, weight, c);
        py::gil_scoped_release release;
        out = ranking_curve(t, s, weight, c.rows, 1, ranges[0]);
    });
    return py::make_tuple(to_array(std::move(out.thresholds)), to_array(std::move(out.tps)), to_array(std::move(out.fps)));
}

using Histogram = Guarded<ScoreHistogram>;

static void update(Histogram& self, const py::array& y_true, const py::array& y_score, const py::object& sample_weight) {
    if (y_true.ndim() != 1 || y_score.ndim() != 1 || y_true.size() != y_score.size())
        throw py::value_error("y_true and y_score must be 1-D arrays of the same length");
    const index_t n = y_score.size();
    check_weight_count(sample_weight, n);
    visit_ranking(y_true, y_score, sample_weight, [&](auto t, auto s, auto w) {
        check_finite(s, n, "y_score");
        check_non_negative_weights(w, n, binned_ranking_needs);
        check_range(t, n, 2, "y_true", "not a binary label (0 or 1)", "");
        using W = weight_t<decltype(w)>;
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(self.mutex);
        self.core.add(t, s, static_cast<const W*>(w), n);
    });
}

static py::dict histogram_result(Histogram& self) {
    const BinnedRanking r = self.compute([](ScoreHistogram& core) {
        core.flush();
        return core.result();
    });
    return py::dict("positives"_a = r.positives, "negatives"_a = r.negatives, "roc_auc"_a = r.roc_auc,
                    "roc_auc_bound"_a = r.roc_auc_bound, "average_precision"_a = r.average_precision,
                    "average_precision_bound"_a = r.average_precision_bound);
}

void register_ranking(py::module_& m) {
    m.def("ranking_summary", &summary, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none(),
          py::arg("average_precision") = true,
          "Exact (positives, negatives, roc_auc, average_precision) per column of 0/1 labels and scores; "
          "average_precision=False leaves it out (NaN), which saves a division per distinct score.");
    m.def("ranking_curve", &curve, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none(),
          "(thresholds, tps, fps): cumulative weights at each distinct score, scores decreasing.");

    py::class_<Histogram> cls(m, "ScoreHistogram");
    cls.def(py::init<index_t>(), py::arg("max_bins") = index_t(1) << 20)
        .def_property_readonly("max_bins", [](const Histogram& h) { return h.core.max_bins(); })
        .def_property_readonly("shift", [](Histogram& h) { return h.compute([](ScoreHistogram& c) { c.flush(); return c.shift(); }); })
        .def_property_readonly("num_bins", [](Histogram& h) {
            return h.compute([](ScoreHistogram& c) { c.flush(); return index_t(c.bins().size()); });
        })
        .def("update", &update, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none())
        .def("result", &histogram_result);
    def_accumulator(
        cls,
        [](const ScoreHistogram& copy) {
            ScoreHistogram core = copy;
            core.flush();
            return py::make_tuple(core.max_bins(), core.shift(), core.exact(), core.weighted(),
                                  to_array(std::vector<std::uint32_t>(core.bins())),
                                  to_array(std::vector<double>(core.positives())),
                                  to_array(std::vector<double>(core.negatives())));
        },
        [](const py::tuple& state) {
            if (state.size() != 7) throw py::value_error("not a ScoreHistogram state");
            Histogram h(state[0].cast<index_t>());
            h.core.restore(state[1].cast<int>(), state[2].cast<bool>(), state[3].cast<bool>(),
                           state[4].cast<std::vector<std::uint32_t>>(), state[5].cast<std::vector<double>>(),
                           state[6].cast<std::vector<double>>());
            return h;
        });
}

}  // namespace accumetrics::python
