// Plans split across processes: point selections (shards, ranges), part documents, the incremental merger, and the
// merge of parts back into the document a single run gives.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include "characterize/plan_impl.h"
#include "common/text.h"
#include "numen/characterize.h"
#include "numen/version.h"

namespace numen {

// ---- the sources of a plan ------------------------------------------------------------------------------------

const std::string& Plan::text() const { return impl_->text; }
const std::string& Plan::file_name() const { return impl_->plan_file; }
const std::vector<std::pair<std::string, std::string>>& Plan::files() const { return impl_->files; }
std::uint64_t Plan::seed() const { return impl_->seed; }

std::string Plan::fingerprint() const {
  std::string all = "plan\n" + text::fnv1a64(impl_->text) + "\nseed\n" + std::to_string(impl_->seed) + "\n";
  for (const auto& [path, text] : impl_->files) all += "file\n" + path + "\n" + text::fnv1a64(text) + "\n";
  return "fnv1a64:" + text::fnv1a64(all);
}

std::string Plan::part(const std::vector<int>& indices, const std::vector<std::string>& results,
                       std::string_view selection) const {
  if (indices.size() != results.size())
    throw std::invalid_argument("a part needs one result per index: " + std::to_string(indices.size()) + " indices, " +
                                std::to_string(results.size()) + " results");
  json doc;
  doc["numen_part"] = 1;
  doc["numen"] = NUMEN_VERSION;
  doc["plan_file"] = impl_->plan_file;
  doc["fingerprint"] = fingerprint();
  doc["seed"] = impl_->seed;
  doc["model"] = {
      {"name", model().name()}, {"file", model().file_name()}, {"hash", "fnv1a64:" + model().content_hash()}};
  doc["plan_hash"] = "fnv1a64:" + text::fnv1a64(impl_->text);
  doc["files"] = json::object();
  for (const auto& [path, text] : impl_->files) doc["files"][path] = "fnv1a64:" + text::fnv1a64(text);
  doc["point_count"] = point_count();
  doc["selection"] = std::string(selection);
  int shard_index = 0, shard_count = 0;
  if (std::sscanf(std::string(selection).c_str(), "shard %d/%d", &shard_index, &shard_count) == 2)
    doc["shard"] = {shard_index, shard_count};
  json points = json::array();
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] < 0 || indices[k] >= point_count())
      throw std::invalid_argument("point " + std::to_string(indices[k]) + " is not one of the plan's " +
                                  std::to_string(point_count()) + " points");
    json result = json::parse(results[k], nullptr, false);
    if (result.is_discarded()) result = json{{"error", "the point's result is not valid JSON"}};
    points.push_back({indices[k], std::move(result)});
  }
  doc["points"] = std::move(points);
  json files = json::object();
  for (const auto& [path, text] : impl_->files) files[path] = text;
  doc["sources"] = {{"plan", impl_->text}, {"files", std::move(files)}};
  return doc.dump();
}

// ---- merging as points arrive ---------------------------------------------------------------------------------

PlanMerger::PlanMerger(const Plan& plan)
    : plan_(plan), pending_(static_cast<std::size_t>(plan.point_count())),
      added_(static_cast<std::size_t>(plan.point_count()), 0), merged_(plan.impl_->enabled.size()),
      remaining_(plan.point_count()) {
  const auto& offsets = plan.impl_->offsets;
  for (std::size_t t = 0; t + 1 < offsets.size(); ++t) left_.push_back(offsets[t + 1] - offsets[t]);
}

void PlanMerger::add(int i, std::string result) {
  if (i < 0 || i >= plan_.point_count())
    throw std::invalid_argument("point " + std::to_string(i) + " is not one of the plan's " +
                                std::to_string(plan_.point_count()) + " points");
  if (added_[static_cast<std::size_t>(i)])
    throw std::invalid_argument("point " + std::to_string(i) + " (" + plan_.point_label(i) + ") was given twice");
  added_[static_cast<std::size_t>(i)] = 1;
  --remaining_;
  const auto t = static_cast<std::size_t>(plan_.point_test(i));
  pending_[static_cast<std::size_t>(i)] = std::move(result);
  if (--left_[t] > 0) return;
  const auto& offsets = plan_.impl_->offsets;
  std::vector<std::string> points;
  for (int k = offsets[t]; k < offsets[t + 1]; ++k) points.push_back(std::move(pending_[static_cast<std::size_t>(k)]));
  merged_[t] = characterize::merge_test(*plan_.impl_, t, points).dump();
}

bool PlanMerger::has(int i) const {
  return i >= 0 && i < plan_.point_count() && added_[static_cast<std::size_t>(i)] != 0;
}

int PlanMerger::remaining() const { return remaining_; }

std::vector<int> PlanMerger::missing() const {
  std::vector<int> out;
  for (std::size_t i = 0; i < added_.size(); ++i)
    if (!added_[i]) out.push_back(static_cast<int>(i));
  return out;
}

std::string PlanMerger::finish() {
  if (remaining_ > 0)
    throw std::logic_error(std::to_string(remaining_) + " of the plan's " + std::to_string(plan_.point_count()) +
                           " points have no result: " + format_point_ranges(missing()));
  // The document is {header..., "tests": [entries], "plots": [...]}: serialized pieces joined as dump() joins them
  // (no whitespace), so the tests never need to be in memory as JSON values together.
  json head = characterize::results_header(*plan_.impl_);
  std::string out = head.dump();
  out.pop_back();  // the closing brace
  out += ",\"tests\":[";
  for (std::size_t t = 0; t < merged_.size(); ++t) {
    if (t) out += ',';
    out += merged_[t];
  }
  out += "],\"plots\":" + plan_.impl_->resolved["plots"].dump() + "}";
  return out;
}

// ---- point selections -----------------------------------------------------------------------------------------

namespace {

/// A whole non-negative decimal integer, or nullopt.
std::optional<int> whole_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

PointSelection PointSelection::shard(int index, int count) {
  if (count < 1) throw std::invalid_argument("a plan splits into at least 1 shard, not " + std::to_string(count));
  if (index < 1 || index > count)
    throw std::invalid_argument("shard " + std::to_string(index) + "/" + std::to_string(count) +
                                " does not exist: shards count from 1 to " + std::to_string(count) +
                                " (an array job's task ID starting at 0 needs +1)");
  PointSelection s;
  s.shard_index_ = index;
  s.shard_count_ = count;
  s.all_ = false;
  return s;
}

PointSelection PointSelection::shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto index = slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(0, slash));
  const auto count = slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!index || !count)
    throw std::invalid_argument("a shard is I/N, shard I (from 1) of N (for example 2/8), not `" + std::string(text) +
                                "`");
  return shard(*index, *count);
}

PointSelection PointSelection::points(std::string_view text) {
  PointSelection s;
  s.all_ = false;
  const std::string all(text);
  std::size_t start = 0;
  while (start <= all.size()) {
    std::size_t comma = all.find(',', start);
    if (comma == std::string::npos) comma = all.size();
    const std::string_view item = std::string_view(all).substr(start, comma - start);
    const auto colon = item.find(':');
    auto bad = [&](const std::string& why) {
      return std::invalid_argument("`" + std::string(item) + "` in `" + all + "` is not a range of points: " + why +
                                   " (ranges are A:B from point A to before B, counting from 0, like 0:100; A: or :B "
                                   "leave an end open; K is point K alone; join several with commas)");
    };
    if (colon == std::string_view::npos) {
      const auto k = whole_number(item);
      if (!k) throw bad("expected a point number or A:B");
      s.ranges_.emplace_back(*k, *k + 1);
    } else {
      const std::string_view a = item.substr(0, colon), b = item.substr(colon + 1);
      const bool open_a = a.find_first_not_of(' ') == std::string_view::npos;
      const bool open_b = b.find_first_not_of(' ') == std::string_view::npos;
      const auto begin = open_a ? std::optional<int>(0) : whole_number(a);
      const auto end = open_b ? std::optional<int>(-1) : whole_number(b);
      if (!begin || !end) throw bad("A and B must be whole numbers from 0");
      if (!open_b && *end <= *begin) throw bad("it is empty (B must be above A)");
      s.ranges_.emplace_back(*begin, *end);
    }
    start = comma + 1;
  }
  return s;
}

std::vector<int> PointSelection::indices(int point_count) const {
  std::vector<int> out;
  if (all_) {
    for (int i = 0; i < point_count; ++i) out.push_back(i);
    return out;
  }
  if (is_shard()) {
    for (int i = shard_index_ - 1; i < point_count; i += shard_count_) out.push_back(i);
    return out;
  }
  std::set<int> chosen;
  for (const auto& [begin, end] : ranges_) {
    const int stop = end < 0 ? point_count : end;
    if (begin >= point_count || stop > point_count)
      throw std::invalid_argument("points " + std::to_string(begin) + ":" +
                                  (end < 0 ? std::string() : std::to_string(end)) + " reach past the plan's " +
                                  std::to_string(point_count) + " points (0:" + std::to_string(point_count) + ")");
    for (int i = begin; i < stop; ++i) chosen.insert(i);
  }
  return {chosen.begin(), chosen.end()};
}

std::string PointSelection::describe() const {
  if (all_) return "all points";
  if (is_shard()) return "shard " + std::to_string(shard_index_) + "/" + std::to_string(shard_count_);
  std::string out = "points ";
  for (std::size_t k = 0; k < ranges_.size(); ++k) {
    const auto [begin, end] = ranges_[k];
    out += (k ? "," : "") + std::to_string(begin);
    if (end != begin + 1) out += ":" + (end < 0 ? std::string() : std::to_string(end));
  }
  return out;
}

std::string format_point_ranges(const std::vector<int>& ascending) {
  std::string out;
  for (std::size_t k = 0; k < ascending.size();) {
    std::size_t j = k;
    while (j + 1 < ascending.size() && ascending[j + 1] == ascending[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(ascending[k]);
    if (j > k) out += ":" + std::to_string(ascending[j] + 1);
    k = j + 1;
  }
  return out;
}

// ---- merging parts --------------------------------------------------------------------------------------------

namespace {

/// What a part says about where its points come from (everything but the points).
struct PartHeader {
  std::string name, numen, plan_file, fingerprint, plan_hash, selection, model_name, model_hash;
  std::uint64_t seed = 0;
  int point_count = 0, shard_index = 0, shard_count = 0;
  std::map<std::string, std::string> files;  ///< path -> hash
};

class PartProblems {
 public:
  void add(const std::string& file, const std::string& message) {
    diagnostics_.push_back(Diagnostic{Diagnostic::Severity::Error, file, {}, message, {}});
  }
  bool any() const { return !diagnostics_.empty(); }
  void throw_if_any() {
    if (any()) throw Error(std::move(diagnostics_));
  }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Reads a part's header; nullopt (with the problem added) when the text is not a part of this numen.
std::optional<PartHeader> read_header(const std::string& name, const json& doc, PartProblems& problems) {
  if (!doc.is_object() || !doc.contains("numen_part")) {
    if (doc.is_object() && doc.contains("tests") && doc.contains("plan"))
      problems.add(name,
                   "this is a results document (from `numen characterize` without --shard, or `numen merge`), "
                   "not a part: it holds the whole plan already");
    else
      problems.add(name,
                   "not a part of a plan's results: parts are written by `numen characterize PLAN --shard I/N` "
                   "or `--points A:B`");
    return std::nullopt;
  }
  PartHeader h;
  h.name = name;
  try {
    if (doc["numen_part"] != 1) {
      problems.add(name, "a part in format " + doc["numen_part"].dump() +
                             ", which this numen (" NUMEN_VERSION ") does not read (it reads format 1)");
      return std::nullopt;
    }
    h.numen = doc.at("numen").get<std::string>();
    if (h.numen != NUMEN_VERSION) {
      problems.add(name, "written by numen " + h.numen +
                             ", and this is numen " NUMEN_VERSION
                             ": parts merge only with the version that computed them (the numbers may differ between "
                             "versions); run its points again with numen " NUMEN_VERSION);
      return std::nullopt;
    }
    h.plan_file = doc.at("plan_file").get<std::string>();
    h.fingerprint = doc.at("fingerprint").get<std::string>();
    h.plan_hash = doc.at("plan_hash").get<std::string>();
    h.seed = doc.at("seed").get<std::uint64_t>();
    h.model_name = doc.at("model").at("name").get<std::string>();
    h.model_hash = doc.at("model").at("hash").get<std::string>();
    h.point_count = doc.at("point_count").get<int>();
    h.selection = doc.at("selection").get<std::string>();
    if (doc.contains("shard")) {
      h.shard_index = doc["shard"].at(0).get<int>();
      h.shard_count = doc["shard"].at(1).get<int>();
    }
    for (const auto& [path, hash] : doc.at("files").items()) h.files[path] = hash.get<std::string>();
    if (!doc.at("points").is_array() || !doc.at("sources").at("plan").is_string())
      throw std::runtime_error("points or sources");
  } catch (const std::exception&) {
    problems.add(name, "a damaged part: a key is missing or has the wrong type (was the file cut short or edited?)");
    return std::nullopt;
  }
  return h;
}

/// Why part `b` cannot be merged with part `a` (empty when it can).
std::string mismatch(const PartHeader& a, const PartHeader& b) {
  if (a.fingerprint == b.fingerprint) {
    if (a.plan_file != b.plan_file)
      return "ran the plan as `" + b.plan_file + "`, and " + a.name + " as `" + a.plan_file +
             "`: the results record the plan's path, so run every part with the same one";
    return "";
  }
  std::string why = "comes from another plan than " + a.name + ":";
  std::vector<std::string> reasons;
  if (a.model_hash != b.model_hash)
    reasons.push_back(" the model differs (`" + b.model_name + "` " + b.model_hash + " here, `" + a.model_name + "` " +
                      a.model_hash + " there)");
  if (a.plan_hash != b.plan_hash) reasons.push_back(" the plan file's text differs");
  if (a.seed != b.seed)
    reasons.push_back(" the seed differs (" + std::to_string(b.seed) + " here, " + std::to_string(a.seed) +
                      " there: was --seed given to some parts only?)");
  for (const auto& [path, hash] : b.files) {
    auto it = a.files.find(path);
    if (it != a.files.end() && it->second != hash) reasons.push_back(" the file `" + path + "` differs");
  }
  if (reasons.empty()) reasons.push_back(" it reads other files");
  for (std::size_t k = 0; k < reasons.size(); ++k) why += (k ? ";" : "") + reasons[k];
  return why;
}

}  // namespace

std::string merge_parts(const std::vector<PartSource>& parts) {
  PartProblems problems;
  if (parts.empty()) {
    problems.add("numen merge", "no parts to merge");
    problems.throw_if_any();
  }
  auto load = [&problems](const PartSource& part) -> std::optional<json> {
    std::string text;
    try {
      text = part.read();
    } catch (const std::exception& e) {
      problems.add(part.name, std::string("cannot read the part: ") + e.what());
      return std::nullopt;
    }
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
      problems.add(part.name, "not JSON, so not a part (was the file cut short while it was written?)");
      return std::nullopt;
    }
    return doc;
  };

  // The first part gives the plan, compiled again from the sources it carries; every other part must match it.
  std::optional<json> doc = load(parts.front());
  std::optional<PartHeader> first = doc ? read_header(parts.front().name, *doc, problems) : std::nullopt;
  problems.throw_if_any();
  std::map<std::string, std::string> texts;
  const json& sources = (*doc)["sources"];
  if (sources.contains("files") && sources["files"].is_object())
    for (const auto& [path, text] : sources["files"].items())
      if (text.is_string()) texts[path] = text.get<std::string>();
  const PlanFileLoader from_part = [&texts](const std::string& path) {
    auto it = texts.find(path);
    if (it == texts.end()) throw std::runtime_error("the part does not carry it");
    return it->second;
  };
  std::optional<Plan> plan;
  try {
    plan = Plan::compile(sources["plan"].get<std::string>(), first->plan_file, from_part, first->seed);
  } catch (const Error& e) {
    problems.add(first->name, "its plan does not compile again from the sources it carries: " +
                                  (e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics().front().format()));
  }
  if (plan && (plan->fingerprint() != first->fingerprint || plan->point_count() != first->point_count))
    problems.add(first->name, "its plan compiles again to other points than it says (" +
                                  std::to_string(plan->point_count()) + " points, not " +
                                  std::to_string(first->point_count) + "): a damaged or edited part");
  problems.throw_if_any();

  PlanMerger merger(*plan);
  const int total = plan->point_count();
  std::vector<int> owner(static_cast<std::size_t>(total), -1);  // which part gave each point
  std::vector<PartHeader> headers(parts.size());
  std::map<std::pair<int, int>, std::size_t> shards;  // (I, N) -> part
  int duplicates = 0;
  std::string duplicate_file, duplicate_message;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) doc = load(parts[k]);  // one part in memory at a time
    if (!doc) continue;
    std::optional<PartHeader> h = k == 0 ? first : read_header(parts[k].name, *doc, problems);
    if (!h) continue;
    if (const std::string why = mismatch(*first, *h); !why.empty()) {
      problems.add(h->name, why);
      continue;
    }
    headers[k] = *h;
    if (h->shard_count > 0) {
      auto [it, fresh] = shards.emplace(std::make_pair(h->shard_index, h->shard_count), k);
      if (!fresh) {
        problems.add(h->name, "shard " + std::to_string(h->shard_index) + "/" + std::to_string(h->shard_count) +
                                  " is given twice: by " + parts[it->second].name + " and by " + h->name);
        continue;
      }
    }
    if (problems.any()) continue;  // check the other parts too, but merge no more
    for (json& entry : (*doc)["points"]) {
      if (!entry.is_array() || entry.size() != 2 || !entry[0].is_number_integer()) {
        problems.add(h->name, "a damaged part: a point is not [index, result]");
        break;
      }
      const int i = entry[0].get<int>();
      if (i < 0 || i >= total) {
        problems.add(h->name, "a damaged part: point " + std::to_string(i) + " is not one of the plan's " +
                                  std::to_string(total) + " points");
        break;
      }
      if (const int other = owner[static_cast<std::size_t>(i)]; other >= 0) {
        if (duplicates++ == 0) {
          duplicate_file = h->name;
          duplicate_message = "point " + std::to_string(i) + " (" + plan->point_label(i) + ") is in " +
                              parts[static_cast<std::size_t>(other)].name + " and in " + h->name;
        }
        continue;
      }
      owner[static_cast<std::size_t>(i)] = static_cast<int>(k);
      merger.add(i, entry[1].dump());
    }
    doc.reset();
  }
  if (duplicates > 0)
    problems.add(
        duplicate_file,
        duplicate_message +
            (duplicates > 1 ? " (and " + std::to_string(duplicates - 1) + " more points are in two parts)" : "") +
            ": the parts' selections overlap; give each point once");
  problems.throw_if_any();

  if (merger.remaining() > 0) {
    // Name the missing shards when every part is a shard of the same N; otherwise the missing ranges.
    std::set<int> counts;
    bool all_shards = true;
    std::string names;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      all_shards = all_shards && headers[k].shard_count > 0;
      counts.insert(headers[k].shard_count);
      names += (k ? ", " : "") + parts[k].name;
    }
    const std::string& path = first->plan_file;
    const std::string held =
        std::to_string(total - merger.remaining()) + " of its " + std::to_string(total) + " points";
    if (all_shards && counts.size() == 1) {
      const int n = *counts.begin();
      std::vector<std::string> missing;
      for (int i = 1; i <= n; ++i)
        if (!shards.count({i, n})) missing.push_back(std::to_string(i) + "/" + std::to_string(n));
      std::string list;
      for (std::size_t k = 0; k < missing.size(); ++k) list += (k ? ", " : "") + missing[k];
      problems.add(parts.front().name, (missing.size() > 1 ? "shards " : "shard ") + list + " of `" + path + "` " +
                                           (missing.size() > 1 ? "are" : "is") + " missing: the parts given (" + names +
                                           ") hold " + held + "; run `numen characterize " + path + " --shard " +
                                           missing.front() + " -o FILE`" +
                                           (missing.size() > 1 ? " (and the others)" : "") + " and merge all " +
                                           std::to_string(n) + " parts");
    } else {
      std::string ranges = format_point_ranges(merger.missing());
      if (ranges.size() > 200) ranges = ranges.substr(0, ranges.rfind(',', 200)) + ",...";
      problems.add(parts.front().name, std::to_string(merger.remaining()) + " points of `" + path +
                                           "` are in no part given (" + names + "; they hold " + held + "): points " +
                                           ranges + "; run them with `numen characterize " + path +
                                           " --points RANGES -o FILE` and merge that part too");
    }
  }
  problems.throw_if_any();
  return merger.finish();
}

}  // namespace numen
