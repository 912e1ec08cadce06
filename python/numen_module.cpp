// numen._core: the Numen core for Python (pybind11). Like the Embind bindings, one short function per piece of the
// public API and no logic of its own; the Python layer (numen/__init__.py) gives it numpy arrays, display units
// and keyword arguments. Long computations (solves, plan points, merges) release the GIL, so Python threads (a
// Dask worker's) run them in parallel.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "numen/numen.h"

namespace py = pybind11;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Files a plan names, relative to the plan's folder (as the CLI reads them).
numen::PlanFileLoader folder_loader(const std::string& plan_path) {
  const std::filesystem::path base = std::filesystem::path(plan_path).parent_path();
  return [base](const std::string& path) { return read_text((base / path).string()); };
}

/// Files a plan names, from texts given by path (what a part or a pickled plan carries).
numen::PlanFileLoader text_loader(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path) {
    auto it = files.find(path);
    if (it == files.end()) throw std::runtime_error("no text was given for `" + path + "`");
    return it->second;
  };
}

std::optional<std::uint64_t> seed_of(const std::optional<long long>& seed) {
  if (!seed) return std::nullopt;
  if (*seed < 0) throw std::invalid_argument("a seed is a whole number from 0, not " + std::to_string(*seed));
  return static_cast<std::uint64_t>(*seed);
}

py::array_t<double> array_1d(const std::vector<double>& v) {
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

/// Series stored series-major (x, y of a Solution) as a (series, samples) array.
py::array_t<double> array_2d(const std::vector<double>& v, std::size_t series, std::size_t samples) {
  py::array_t<double> out({static_cast<py::ssize_t>(series), static_cast<py::ssize_t>(samples)});
  std::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(series * samples), out.mutable_data());
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "The Numen core (model compiler, solvers, characterization engine); use the `numen` package.";
  m.attr("__version__") = NUMEN_VERSION;

  py::class_<numen::Diagnostic>(m, "Diagnostic", "One problem in a model, plan or options: where, and what to do.")
      .def_property_readonly("file", [](const numen::Diagnostic& d) { return d.file; })
      .def_property_readonly("line", [](const numen::Diagnostic& d) { return d.pos.line; })
      .def_property_readonly("column", [](const numen::Diagnostic& d) { return d.pos.column; })
      .def_property_readonly("end_line", [](const numen::Diagnostic& d) { return d.end.line; })
      .def_property_readonly("end_column", [](const numen::Diagnostic& d) { return d.end.column; })
      .def_property_readonly("severity",
                             [](const numen::Diagnostic& d) {
                               return d.severity == numen::Diagnostic::Severity::Error ? "error" : "warning";
                             })
      .def_property_readonly("message", [](const numen::Diagnostic& d) { return d.message; })
      .def("__str__", &numen::Diagnostic::format)
      .def("__repr__", [](const numen::Diagnostic& d) { return "<Diagnostic " + d.format() + ">"; });

  // numen.Error: bad input. A ValueError whose `diagnostics` list every problem with its file, line and column.
  // The type lives as long as the interpreter: a handle, so that no destructor runs after Python has finalized.
  static py::handle error = py::exception<numen::Error>(m, "Error", PyExc_ValueError).release();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const numen::Error& e) {
      py::object instance = error(e.what());
      instance.attr("diagnostics") = py::cast(e.diagnostics());
      PyErr_SetObject(error.ptr(), instance.ptr());
    }
  });

  py::class_<numen::Model>(m, "Model")
      .def_static(
          "compile",
          [](const std::string& text, const std::string& file_name,
             std::optional<std::map<std::string, std::string>> files) {
            // Library files (`use: [./parts.yaml]`) come from `files` by path when given, else from disk.
            const numen::FileLoader load = files ? text_loader(std::move(*files)) : numen::FileLoader(read_text);
            return numen::Model::compile(text, file_name, load);
          },
          py::arg("text"), py::arg("file_name"), py::arg("files") = py::none())
      .def("info_json", [](const numen::Model& model) { return numen::model_info_json(model); })
      .def("simulate_json", [](const numen::Model& model) { return numen::options_to_json(model.simulate()); })
      .def("read_setting", [](const numen::Model& model, const std::string& key, const std::string& text) {
        return numen::read_setting(model, key, text, "set[" + key + "]");
      });

  py::class_<numen::Solution>(m, "Solution")
      .def_property_readonly("t", [](const numen::Solution& s) { return array_1d(s.t); })
      .def_property_readonly(
          "x", [](const numen::Solution& s) { return array_2d(s.x, static_cast<std::size_t>(s.n_states), s.t.size()); })
      .def_property_readonly(
          "y",
          [](const numen::Solution& s) { return array_2d(s.y, static_cast<std::size_t>(s.n_outputs), s.t.size()); })
      .def_property_readonly("ok", &numen::Solution::ok)
      .def("info_json", [](const numen::Solution& s) { return numen::solution_info_json(s); });

  // options: JSON as in a model's simulate block ({"rtol": 1e-8, "tspan": [0, 2]}); set: coherent values by key.
  m.def(
      "solve",
      [](const numen::Model& model, const std::string& options,
         const std::vector<std::pair<std::string, double>>& set) {
        const numen::SolveOptions o = numen::options_from_json(options, model.simulate());
        numen::RunSettings settings;
        settings.set = set;
        py::gil_scoped_release unlocked;
        return numen::solve(model, o, settings);
      },
      py::arg("model"), py::arg("options"), py::arg("set"));

  py::class_<numen::Plan>(m, "Plan")
      .def_static(
          "compile",
          [](const std::string& text, const std::string& path, const std::optional<long long>& seed) {
            return numen::Plan::compile(text, path, folder_loader(path), seed_of(seed));
          },
          py::arg("text"), py::arg("path"), py::arg("seed") = py::none())
      .def_static(
          "from_sources",
          [](const std::string& text, const std::string& file_name, std::map<std::string, std::string> files,
             const std::optional<long long>& seed) {
            return numen::Plan::compile(text, file_name, text_loader(std::move(files)), seed_of(seed));
          },
          py::arg("text"), py::arg("file_name"), py::arg("files"), py::arg("seed") = py::none())
      .def_property_readonly("point_count", &numen::Plan::point_count)
      .def("point_label", &numen::Plan::point_label)
      .def("point_test", &numen::Plan::point_test)
      .def_property_readonly("test_names", &numen::Plan::test_names)
      .def_property_readonly("workers", &numen::Plan::workers)
      .def_property_readonly("output", &numen::Plan::output)
      .def_property_readonly("model", [](const numen::Plan& p) { return p.model(); })
      .def_property_readonly("text", &numen::Plan::text)
      .def_property_readonly("file_name", &numen::Plan::file_name)
      .def_property_readonly("files",
                             [](const numen::Plan& p) {
                               std::map<std::string, std::string> out(p.files().begin(), p.files().end());
                               return out;
                             })
      .def_property_readonly("seed", &numen::Plan::seed)
      .def_property_readonly("fingerprint", &numen::Plan::fingerprint)
      .def("run_point", &numen::Plan::run_point, py::call_guard<py::gil_scoped_release>())
      .def("merge", &numen::Plan::merge, py::call_guard<py::gil_scoped_release>())
      .def("part", &numen::Plan::part, py::arg("indices"), py::arg("results"), py::arg("selection"),
           py::call_guard<py::gil_scoped_release>());

  py::class_<numen::PlanMerger>(m, "PlanMerger")
      .def(py::init<const numen::Plan&>())
      .def("add", &numen::PlanMerger::add, py::call_guard<py::gil_scoped_release>())
      .def("has", &numen::PlanMerger::has)
      .def_property_readonly("remaining", &numen::PlanMerger::remaining)
      .def("missing", &numen::PlanMerger::missing)
      .def("finish", &numen::PlanMerger::finish, py::call_guard<py::gil_scoped_release>());

  m.def("select_points", [](int point_count, const std::string& shard, const std::string& points) {
    numen::PointSelection s;
    if (!shard.empty()) s = numen::PointSelection::shard(shard);
    if (!points.empty()) s = numen::PointSelection::points(points);
    return py::make_tuple(s.indices(point_count), s.describe());
  });
  m.def("merge_parts", [](const std::vector<std::string>& paths) {
    std::vector<numen::PartSource> parts;
    for (const std::string& path : paths) parts.push_back({path, [path] { return read_text(path); }});
    py::gil_scoped_release unlocked;
    return numen::merge_parts(parts);
  });
  m.def("methods_json", &numen::methods_json);
  m.def("units_json", &numen::units_json);
  m.def("functions_json", &numen::functions_json);
}
