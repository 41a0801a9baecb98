// The learning-curve picture of a result document (cli/learning_curve_svg.hpp): only baselines in the
// curve's unit are lines on its axis; the others are text under the plot, with their units.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/learning_curve_svg.hpp"

using p3p::cli::learning_curve_svg;

namespace {

// The text content of every element of `svg` that carries class="<cls>", in order.
std::vector<std::string> texts_of_class(const std::string& svg, const std::string& cls) {
  std::vector<std::string> out;
  const std::string marker = "class=\"" + cls + "\"";
  for (auto at = svg.find(marker); at != std::string::npos; at = svg.find(marker, at + 1)) {
    const auto open_end = svg.find('>', at), close = svg.find('<', open_end);
    out.push_back(svg.substr(open_end + 1, close - open_end - 1));
  }
  return out;
}

std::size_t count_of(const std::string& svg, const std::string& s) {
  std::size_t n = 0;
  for (auto at = svg.find(s); at != std::string::npos; at = svg.find(s, at + 1)) ++n;
  return n;
}

// A seizure_detect-like document: a ROC-area curve beside F1s and a latency in seconds.
nlohmann::json mixed_units() {
  return {{"experiment", "seizure_detect"},
          {"seed", 1},
          {"curve", {0.95, 0.99, 0.98}},
          {"curve_unit", "step ROC area"},
          {"baselines", {{"chance", 0.5}, {"line_length_f1", 1.0}, {"line_length_latency_s", 4.5}}},
          {"baseline_units", {{"chance", "step ROC area"}, {"line_length_f1", "event F1"}, {"line_length_latency_s", "s"}}}};
}

}  // namespace

TEST_CASE("learning curve svg: only the baselines in the curve's unit are drawn, the others listed with their units") {
  const std::string svg = learning_curve_svg(mixed_units());
  INFO(svg);
  CHECK(count_of(svg, "class=\"baseline\"") == 1);
  CHECK(count_of(svg, "stroke-dasharray") == 1);
  CHECK_THAT(svg, Catch::Contains(">chance 0.5</text>"));
  CHECK(texts_of_class(svg, "listed-baseline") == std::vector<std::string>{"line_length_f1 1 event F1", "line_length_latency_s 4.5 s"});
  CHECK_THAT(svg, Catch::Contains("other baselines (not in step ROC area; not drawn):"));
  CHECK(texts_of_class(svg, "axis-unit") == std::vector<std::string>{"step ROC area"});
  CHECK_THAT(svg, Catch::Contains("seizure_detect (seed 1): step ROC area per epoch"));
  // The axis spans the curve and the drawn lines only: the 4.5 s latency does not stretch it.
  CHECK_THAT(svg, Catch::Contains("text-anchor=\"end\">1</text>") && !Catch::Contains(">4.5</text>"));
  // The caption rows fit in the picture: 400 for the plot, a heading and one row per listed baseline.
  CHECK_THAT(svg, Catch::Contains("height=\"448\""));
}

TEST_CASE("learning curve svg: a document without units (written before them) draws no baseline, lists each") {
  nlohmann::json doc = mixed_units();
  doc.erase("curve_unit");
  doc.erase("baseline_units");
  const std::string svg = learning_curve_svg(doc);
  INFO(svg);
  CHECK(count_of(svg, "stroke-dasharray") == 0);
  CHECK(texts_of_class(svg, "listed-baseline") == std::vector<std::string>{"chance 0.5 (unit not stated)", "line_length_f1 1 (unit not stated)",
                                                                           "line_length_latency_s 4.5 (unit not stated)"});
  CHECK(texts_of_class(svg, "axis-unit") == std::vector<std::string>{"score"});
  const auto points = svg.substr(svg.find("points=\""), svg.find("\"/>", svg.find("points=\"")) - svg.find("points=\""));
  CHECK(std::count(points.begin(), points.end(), ',') == 3);  // the curve is drawn all the same
}

TEST_CASE("learning curve svg: every baseline in the curve's unit is drawn, one that is not a number is listed") {
  const nlohmann::json doc = {{"experiment", "hopfield_assoc"},
                              {"seed", 2},
                              {"curve", {0.5, 1.0}},
                              {"curve_unit", "overlap"},
                              {"baselines", {{"cue", {{"0.1", 0.9}, {"0.2", 0.8}}}, {"plasticity_off", 0.1}, {"same", 0.3}}},
                              {"baseline_units", {{"cue", "overlap"}, {"plasticity_off", "overlap"}, {"same", "overlap"}}}};
  const std::string svg = learning_curve_svg(doc);
  INFO(svg);
  CHECK(count_of(svg, "class=\"baseline\"") == 2);
  CHECK_THAT(svg, Catch::Contains(">plasticity_off 0.1</text>") && Catch::Contains(">same 0.3</text>"));
  CHECK(texts_of_class(svg, "listed-baseline") == std::vector<std::string>{"cue 0.1: 0.9, 0.2: 0.8 overlap"});
}

TEST_CASE("learning curve svg: a document of the wrong shape still gives a picture, not an exception") {
  const nlohmann::json doc = {{"experiment", "x<y"}, {"curve", {0.5, "high", 0.7}}, {"curve_unit", 3},
                              {"baselines", {1, 2}}, {"baseline_units", "none"}};
  std::string svg;
  REQUIRE_NOTHROW(svg = learning_curve_svg(doc));
  CHECK_THAT(svg, Catch::StartsWith("<svg") && Catch::EndsWith("</svg>\n") && Catch::Contains("x&lt;y"));
  CHECK(count_of(svg, "<circle") == 2);  // the two numbers of the curve
  CHECK(count_of(svg, "stroke-dasharray") == 0);
  CHECK_NOTHROW(learning_curve_svg(nlohmann::json::array()));
}
