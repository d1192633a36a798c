// What every accumulator class of the module shares, registered once: merge, reset,
// copy (also for the copy module) and pickling with every protocol.
#pragma once

#include <pybind11/pybind11.h>

#include <mutex>

#include "arrays.hpp"

namespace accumetrics::python {

// Registers merge, reset, copy, __copy__, __deepcopy__ and pickling on a class of
// Guarded<Core>. `state(const Core&)` returns a tuple, read from a copy taken under
// the lock; `restore(const py::tuple&)` turns it back into a Guarded<Core>.
//
// __reduce__ names copyreg.__newobj__ itself: without it, protocols 0 and 1 rebuild
// an extension object through copyreg._reconstructor, which pybind11 cannot allocate.
template <class Core, class State, class Restore>
py::class_<Guarded<Core>>& def_accumulator(py::class_<Guarded<Core>>& cls, State state, Restore restore) {
    using G = Guarded<Core>;
    cls.def("merge", &G::merge, py::arg("other"))
        .def("reset", [](G& g) {
            std::lock_guard<std::mutex> lock(g.mutex);
            g.core.reset();
        })
        .def("copy", [](const G& g) { return G(g); })
        .def("__copy__", [](const G& g) { return G(g); })
        .def("__deepcopy__", [](const G& g, const py::object&) { return G(g); }, py::arg("memo"))
        .def(py::pickle([state](const G& g) { return state(g.locked_copy()); }, restore))
        .def("__reduce__", [](const py::object& self) {
            return py::make_tuple(py::module_::import("copyreg").attr("__newobj__"), py::make_tuple(py::type::of(self)),
                                  self.attr("__getstate__")());
        });
    return cls;
}

}  // namespace accumetrics::python
