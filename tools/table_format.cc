#include "tools/table_format.h"

#include <algorithm>
#include <string_view>

namespace pgcpp::tools {

namespace {

// Characters on screen: UTF-8 code points (continuation bytes do not count).
size_t display_width(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void pad(std::ostream& out, size_t n) {
  for (size_t i = 0; i < n; ++i) out.put(' ');
}

void write_csv_field(std::string_view field, bool quote_always, std::ostream& out) {
  if (!quote_always && field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out << field;
    return;
  }
  out.put('"');
  for (char c : field) {
    if (c == '"') out.put('"');
    out.put(c);
  }
  out.put('"');
}

}  // namespace

void write_aligned(const ResultTable& table, std::ostream& out) {
  const size_t n = table.columns.size();
  std::vector<size_t> widths(n);
  for (size_t c = 0; c < n; ++c) widths[c] = display_width(table.columns[c]);
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < n; ++c) {
      if (row[c]) widths[c] = std::max(widths[c], display_width(*row[c]));
    }
  }
  for (size_t c = 0; c < n; ++c) {
    const size_t space = widths[c] - display_width(table.columns[c]);
    out << (c == 0 ? " " : " | ");
    pad(out, space / 2);
    out << table.columns[c];
    pad(out, space - space / 2);
  }
  out << " \n";
  for (size_t c = 0; c < n; ++c) {
    if (c > 0) out.put('+');
    out << std::string(widths[c] + 2, '-');
  }
  out << "\n";
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < n; ++c) {
      std::string_view cell = row[c] ? std::string_view(*row[c]) : std::string_view();
      const size_t space = widths[c] - display_width(cell);
      out << (c == 0 ? " " : " | ");
      if (c < table.right_align.size() && table.right_align[c]) {
        pad(out, space);
        out << cell;
      } else {
        out << cell;
        if (c + 1 < n) pad(out, space);  // psql leaves the last column unpadded
      }
    }
    out << "\n";
  }
  out << "(" << table.rows.size() << (table.rows.size() == 1 ? " row)\n" : " rows)\n");
}

void write_csv(const ResultTable& table, std::ostream& out) {
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) out.put(',');
    write_csv_field(table.columns[c], false, out);
  }
  out << "\r\n";
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out.put(',');
      if (row[c]) write_csv_field(*row[c], row[c]->empty(), out);
    }
    out << "\r\n";
  }
}

}  // namespace pgcpp::tools
