#include "cli/learning_curve_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace p3p::cli {
namespace {

constexpr double kWidth = 640, kHeight = 400, kLeft = 60, kRight = 20, kTop = 40, kBottom = 50;

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

}  // namespace

std::string learning_curve_svg(const std::string& title, const std::vector<double>& curve, const std::map<std::string, double>& baselines) {
  double lo = 0, hi = 1;
  for (double v : curve) lo = std::min(lo, v), hi = std::max(hi, v);
  for (const auto& [name, v] : baselines) lo = std::min(lo, v), hi = std::max(hi, v);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const std::size_t n = std::max<std::size_t>(curve.size(), 2);
  const auto x = [&](std::size_t i) { return kLeft + plot_w * static_cast<double>(i) / static_cast<double>(n - 1); };
  const auto y = [&](double v) { return kTop + plot_h * (hi - v) / (hi - lo); };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kWidth / 2 << "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">" << escaped(title) << "</text>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kTop + plot_h << "\" x2=\"" << kLeft + plot_w << "\" y2=\"" << kTop + plot_h << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\"" << kLeft << "\" y2=\"" << kTop + plot_h << "\" stroke=\"black\"/>\n";
  for (double v : {lo, (lo + hi) / 2, hi})
    svg << "<text x=\"" << kLeft - 6 << "\" y=\"" << y(v) + 4 << "\" text-anchor=\"end\">" << num(v) << "</text>\n";
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">epoch (1 to " << curve.size()
      << ")</text>\n<text x=\"14\" y=\"" << kTop + plot_h / 2 << "\" transform=\"rotate(-90 14 " << kTop + plot_h / 2
      << ")\" text-anchor=\"middle\">score</text>\n";
  int row = 0;
  for (const auto& [name, v] : baselines) {
    svg << "<line x1=\"" << kLeft << "\" y1=\"" << y(v) << "\" x2=\"" << kLeft + plot_w << "\" y2=\"" << y(v)
        << "\" stroke=\"gray\" stroke-dasharray=\"5,4\"/>\n<text x=\"" << kLeft + plot_w - 4 << "\" y=\"" << y(v) - 4 - 12 * (row++ % 2)
        << "\" text-anchor=\"end\" fill=\"gray\">" << escaped(name) << " " << num(v) << "</text>\n";
  }
  svg << "<polyline class=\"curve\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"";
  for (std::size_t i = 0; i < curve.size(); ++i) svg << (i ? " " : "") << num(x(i)) << "," << num(y(curve[i]));
  svg << "\"/>\n";
  for (std::size_t i = 0; i < curve.size(); ++i)
    svg << "<circle cx=\"" << num(x(i)) << "\" cy=\"" << num(y(curve[i])) << "\" r=\"3\" fill=\"#1f77b4\"/>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace p3p::cli
