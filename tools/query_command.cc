#include "tools/query_command.h"

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "pgcpp/adapt/oid.h"
#include "pgcpp/adapt/value.h"
#include "pgcpp/core/connection.h"
#include "pgcpp/core/cursor.h"
#include "tools/command_args.h"
#include "tools/embedded_server.h"
#include "tools/error_report.h"
#include "tools/json_render.h"
#include "tools/server_text.h"
#include "tools/table_format.h"
#include "tools/type_catalog.h"

namespace pgcpp::tools {

namespace {

constexpr std::string_view kUsage =
    "usage: pgcpp query [--dsn DSN] [--format table|csv|json] [--binary] SQL [PARAM...]\n"
    "\n"
    "Runs SQL and prints its result. PARAMs fill the %s placeholders (as text: the\n"
    "server infers their types); without PARAMs the SQL is sent as it is and may hold\n"
    "several statements. Options may come anywhere; after \"--\" everything is SQL or\n"
    "a PARAM.\n"
    "\n"
    "  --dsn DSN       where to connect; default: $PGCPP_DSN, else libpq's PG* variables,\n"
    "                  else an embedded server started for this command\n"
    "  --format F      table (psql's aligned output, the default), csv (RFC 4180 with a\n"
    "                  header row) or json ({\"columns\": [...], \"rows\": [[...], ...]})\n"
    "  --binary        ask for results in binary format (the output is the same: values\n"
    "                  are printed from what pgcpp loaded)\n"
    "\n"
    "JSON values: integers exact, floats shortest round-trip (NaN/Infinity as strings),\n"
    "numeric as a string, bytea as \"\\\\x...\", dates/times in ISO 8601 (timestamptz in UTC,\n"
    "\"+00:00\"), interval as {months, days, microseconds}, json as itself, arrays and\n"
    "composites as arrays, ranges as {empty, lower, upper, bounds}, hstore as an object.\n"
    "Types pgcpp has no loader for print their text (with --binary, asked of the\n"
    "server). Known limit: anonymous records (ROW(...)) come as strings in text format\n"
    "(the server sends no field types).\n";

enum class OutputFormat { kTable, kCsv, kJson };

OutputFormat parse_format(std::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "csv") return OutputFormat::kCsv;
  if (text == "json") return OutputFormat::kJson;
  throw UsageError("--format expects table, csv or json, got '" + std::string(text) + "'");
}

// The column's type name; for a type the description did not know, the name the catalog
// gave register_result_types().
std::string type_name(Cursor& cur, const ColumnDescription& c) {
  if (c.type_display != std::to_string(c.type_code)) return c.type_display;
  const TypeInfo* info = cur.adapters().types().get(c.type_code);
  if (info == nullptr) return c.type_display;
  return info->oid == c.type_code ? info->name : info->name + "[]";
}

// Field c of `row` as loaded; a value of a type pgcpp has no binary loader for (raw bytes
// in a column that is not bytea) is replaced by the server's text for it.
Value field(const Row& row, size_t c, ServerText& server_text) {
  Value v = row.value(c);
  const Oid type = row.description().column(c).type_oid;
  if (v.holds<Bytes>() && type != oids::kBytea &&
      row.description().column(c).format == Format::kBinary) {
    return Value(server_text.text_of(type, v.get<Bytes>()));
  }
  return v;
}

// The current result (which has rows) in the chosen format.
void print_rows(Cursor& cur, ServerText& server_text, OutputFormat format, std::ostream& out) {
  const std::vector<ColumnDescription>& columns = *cur.description();
  if (format == OutputFormat::kJson) {
    std::string json = "{\"columns\": [";
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) json.append(", ");
      json.append("{\"name\": ");
      append_json_string(columns[c].name, json);
      json.append(", \"type_oid\": " + std::to_string(columns[c].type_code) + ", \"type\": ");
      append_json_string(type_name(cur, columns[c]), json);
      json.push_back('}');
    }
    json.append("], \"rows\": [");
    bool first = true;
    for (const Row& row : cur) {  // written row by row: results can be large
      json.append(first ? "\n  [" : ",\n  [");
      first = false;
      for (size_t c = 0; c < row.size(); ++c) {
        if (c > 0) json.append(", ");
        append_json(field(row, c, server_text), json);
      }
      json.push_back(']');
      out << json;
      json.clear();
    }
    json.append(first ? "]}\n" : "\n]}\n");
    out << json;
    return;
  }
  ResultTable table;
  for (const ColumnDescription& c : columns) {
    table.columns.push_back(c.name);
    table.right_align.push_back(adapt_internal::is_number_oid(c.type_code));
  }
  for (const Row& row : cur) {
    std::vector<std::optional<std::string>> cells;
    for (size_t c = 0; c < row.size(); ++c) {
      Value v = field(row, c, server_text);
      cells.push_back(v.is_null() ? std::nullopt : std::optional<std::string>(display_text(v)));
    }
    table.rows.push_back(std::move(cells));
  }
  if (format == OutputFormat::kCsv) {
    write_csv(table, out);
  } else {
    write_aligned(table, out);
  }
}

}  // namespace

int query_command(std::span<const std::string_view> args) {
  std::optional<std::string> dsn;
  OutputFormat format = OutputFormat::kTable;
  bool binary = false;
  CommandArgs in(args);
  while (in.more()) {
    std::string_view arg = in.next();
    if (in.options_ended()) {
      in.positional(arg);
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--dsn") {
      dsn = std::string(in.value(arg));
    } else if (arg == "--format") {
      format = parse_format(in.value(arg));
    } else if (arg == "--binary") {
      binary = true;
    } else {
      in.positional(arg);
    }
  }
  if (in.positionals().empty()) throw UsageError("query needs SQL to run");
  const std::string& sql = in.positionals()[0];
  std::vector<Value> params(in.positionals().begin() + 1, in.positionals().end());

  Target target = resolve_target(dsn);
  Connection conn = Connection::connect(target.dsn, {.autocommit = true});
  Cursor cur = conn.cursor({.binary = binary});
  ServerText server_text(conn);
  try {
    if (params.empty()) {
      cur.execute(sql);
    } else {
      cur.execute_values(sql, params);
    }
  } catch (const std::exception& e) {
    report_error(std::cerr, "query", e, sql);
    return 1;
  }
  do {
    if (cur.description()) {
      register_result_types(conn, cur);
      print_rows(cur, server_text, format, std::cout);
    } else if (format == OutputFormat::kTable) {
      std::cout << cur.statusmessage().value_or("") << "\n";
    }
  } while (cur.nextset());
  std::cout.flush();
  return 0;
}

}  // namespace pgcpp::tools
