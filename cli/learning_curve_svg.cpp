#include "cli/learning_curve_svg.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

#include "cli/document_fields.hpp"

namespace p3p::cli {
namespace {

// The plot area; the caption (the baselines not drawn) adds rows of kRow below kHeight.
constexpr double kWidth = 640, kHeight = 400, kLeft = 60, kRight = 20, kTop = 40, kBottom = 50, kRow = 16;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string text_of(const nlohmann::json& v) {
  if (v.is_number()) return num(v.get<double>());
  if (!v.is_object()) return cell(v);
  std::string out;  // one value per key (hopfield_assoc's overlap per noise level)
  for (const auto& [k, x] : v.items()) {
    if (!out.empty()) out.append(", ");
    out.append(k).append(": ").append(text_of(x));
  }
  return out;
}

struct Baselines {
  std::vector<std::pair<std::string, double>> drawn;  // in the curve's unit: lines on its axis
  std::vector<std::string> listed;                    // the others, as text with their unit
};

Baselines split_baselines(const nlohmann::json& doc, const std::string& curve_unit) {
  Baselines out;
  const nlohmann::json& units = member(doc, "baseline_units");
  const nlohmann::json& baselines = member(doc, "baselines");
  for (const auto& [name, value] : baselines.items()) {
    const auto u = units.find(name);
    const std::string unit = u != units.end() && u->is_string() ? u->get<std::string>() : "";
    if (!curve_unit.empty() && unit == curve_unit && value.is_number()) {
      out.drawn.emplace_back(name, value.get<double>());
      continue;
    }
    std::string line = name;
    line.append(" ").append(text_of(value)).append(unit.empty() ? " (unit not stated)" : " " + unit);
    out.listed.push_back(line);
  }
  return out;
}

struct Axes {
  std::size_t points;  // the curve's
  double lo = 0, hi = 1;
  double x(std::size_t i) const { return kLeft + kPlotW * static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(points, 2) - 1); }
  double y(double v) const { return kTop + kPlotH * (hi - v) / (hi - lo); }
};

void frame(std::ostream& svg, const std::string& title, const std::string& unit, const Axes& a, double height) {
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kWidth / 2 << "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">" << escaped(title) << "</text>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kTop + kPlotH << "\" x2=\"" << kLeft + kPlotW << "\" y2=\"" << kTop + kPlotH << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\"" << kLeft << "\" y2=\"" << kTop + kPlotH << "\" stroke=\"black\"/>\n";
  for (double v : {a.lo, (a.lo + a.hi) / 2, a.hi})
    svg << "<text x=\"" << kLeft - 6 << "\" y=\"" << a.y(v) + 4 << "\" text-anchor=\"end\">" << num(v) << "</text>\n";
  svg << "<text x=\"" << kLeft + kPlotW / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">epoch (1 to " << a.points
      << ")</text>\n<text class=\"axis-unit\" x=\"14\" y=\"" << kTop + kPlotH / 2 << "\" transform=\"rotate(-90 14 " << kTop + kPlotH / 2
      << ")\" text-anchor=\"middle\">" << escaped(unit) << "</text>\n";
}

void baseline_lines(std::ostream& svg, const Baselines& b, const Axes& a) {
  int row = 0;
  for (const auto& [name, v] : b.drawn)
    svg << "<line class=\"baseline\" x1=\"" << kLeft << "\" y1=\"" << a.y(v) << "\" x2=\"" << kLeft + kPlotW << "\" y2=\"" << a.y(v)
        << "\" stroke=\"gray\" stroke-dasharray=\"5,4\"/>\n<text x=\"" << kLeft + kPlotW - 4 << "\" y=\"" << a.y(v) - 4 - 12 * (row++ % 2)
        << "\" text-anchor=\"end\" fill=\"gray\">" << escaped(name) << " " << num(v) << "</text>\n";
}

void curve_line(std::ostream& svg, const std::vector<double>& curve, const Axes& a) {
  svg << "<polyline class=\"curve\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"";
  for (std::size_t i = 0; i < curve.size(); ++i) svg << (i ? " " : "") << num(a.x(i)) << "," << num(a.y(curve[i]));
  svg << "\"/>\n";
  for (std::size_t i = 0; i < curve.size(); ++i)
    svg << "<circle cx=\"" << num(a.x(i)) << "\" cy=\"" << num(a.y(curve[i])) << "\" r=\"3\" fill=\"#1f77b4\"/>\n";
}

// Under the plot: the baselines that are not in the curve's unit, one a row.
void caption(std::ostream& svg, const Baselines& b, const std::string& curve_unit) {
  if (b.listed.empty()) return;
  const std::string head = curve_unit.empty() ? "baselines (the document states no units; not drawn):"
                                              : "other baselines (not in " + curve_unit + "; not drawn):";
  double y = kHeight + 4;
  svg << "<text x=\"" << kLeft << "\" y=\"" << y << "\" fill=\"gray\">" << escaped(head) << "</text>\n";
  for (const std::string& line : b.listed)
    svg << "<text class=\"listed-baseline\" x=\"" << kLeft + 12 << "\" y=\"" << (y += kRow) << "\" fill=\"gray\">" << escaped(line) << "</text>\n";
}

}  // namespace

std::string learning_curve_svg(const nlohmann::json& doc) {
  const nlohmann::json& unit_field = member(doc, "curve_unit");
  const std::string unit = unit_field.is_string() ? unit_field.get<std::string>() : "";
  std::vector<double> curve;
  for (const nlohmann::json& v : member(doc, "curve"))
    if (v.is_number()) curve.push_back(v.get<double>());
  const Baselines b = split_baselines(doc, unit);
  Axes a{curve.size()};
  for (double v : curve) a.lo = std::min(a.lo, v), a.hi = std::max(a.hi, v);
  for (const auto& [name, v] : b.drawn) a.lo = std::min(a.lo, v), a.hi = std::max(a.hi, v);
  const std::string shown_unit = unit.empty() ? "score" : unit;
  std::string title = cell(member(doc, "experiment"));
  title.append(" (seed ").append(cell(member(doc, "seed"))).append("): ").append(shown_unit).append(" per epoch");
  const double height = kHeight + (b.listed.empty() ? 0.0 : kRow * static_cast<double>(b.listed.size() + 1));
  std::ostringstream svg;
  frame(svg, title, shown_unit, a, height);
  baseline_lines(svg, b, a);
  curve_line(svg, curve, a);
  caption(svg, b, unit);
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace p3p::cli
