// Decoding 1,000,000 fields through Row::get<T> against the raw libpq-style baseline
// (strtol / strtod / ntohl on the same bytes), in the same binary.
//
//   bazel run -c opt //adapt:row_benchmark
//
// Each benchmark decodes the whole column once per iteration and folds a checksum so
// nothing is optimised away. The "allocs/value" counter comes from the global operator
// new below: it must be 0 for the fixed-size types.
#include <arpa/inet.h>
#include <endian.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "pgcpp/adapt/array.h"
#include "pgcpp/adapt/datetime.h"
#include "pgcpp/adapt/numbers.h"
#include "pgcpp/adapt/numeric.h"
#include "pgcpp/adapt/row.h"
#include "pgcpp/adapt/text.h"

// Counts every operator new in this binary (allocation_counter.cc).
int64_t allocation_count();

namespace pgcpp {
namespace {

constexpr size_t kValues = 1'000'000;

// A column the way PGresult holds it: NUL-terminated values in one block.
struct ColumnData {
  std::string block;
  std::vector<FieldData> fields;
  RowDescription desc;
};

template <class MakeValue>
ColumnData make_column(Oid oid, Format format, MakeValue&& make) {
  ColumnData c;
  std::vector<size_t> offsets, sizes;
  std::mt19937_64 rng(2024);
  for (size_t i = 0; i < kValues; ++i) {
    offsets.push_back(c.block.size());
    make(rng, format, c.block);
    sizes.push_back(c.block.size() - offsets.back());
    c.block.push_back('\0');
  }
  for (size_t i = 0; i < kValues; ++i) {
    c.fields.push_back({c.block.data() + offsets[i], static_cast<int32_t>(sizes[i]), false});
  }
  c.desc = RowDescription({{"c", oid, format}});
  return c;
}

template <class T>
auto dump_random(T (*gen)(std::mt19937_64&)) {
  return
      [gen](std::mt19937_64& rng, Format f, std::string& out) { Codec<T>::dump(gen(rng), f, out); };
}

int32_t gen_int4(std::mt19937_64& rng) { return static_cast<int32_t>(rng()); }
int64_t gen_int8(std::mt19937_64& rng) { return static_cast<int64_t>(rng()); }
double gen_float8(std::mt19937_64& rng) {
  return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
}
std::string gen_text(std::mt19937_64& rng) {
  std::string s(20, 'a');
  for (char& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}
TimestampTz gen_timestamptz(std::mt19937_64& rng) {
  // 1970..2070, microsecond precision.
  return TimestampTz::from_micros(-946684800000000 +
                                  static_cast<int64_t>(rng() % 3155760000000000));
}
Numeric gen_numeric(std::mt19937_64& rng) {  // numeric(12,2)
  const int64_t cents = static_cast<int64_t>(rng() % 100000000000) - 50000000000;
  std::string digits = std::to_string(cents < 0 ? -cents : cents);
  return Numeric::from_parts(cents < 0, digits, 2);
}
std::vector<int32_t> gen_int4_array(std::mt19937_64& rng) {
  std::vector<int32_t> v(10);
  for (int32_t& e : v) e = static_cast<int32_t>(rng() % 100000);
  return v;
}

const ColumnData& column(const std::string& name, Format f) {
  static std::map<std::pair<std::string, int>, ColumnData>* cache =
      new std::map<std::pair<std::string, int>, ColumnData>();
  auto key = std::make_pair(name, static_cast<int>(f));
  auto it = cache->find(key);
  if (it != cache->end()) return it->second;
  ColumnData c;
  if (name == "int4") c = make_column(oids::kInt4, f, dump_random(&gen_int4));
  if (name == "int8") c = make_column(oids::kInt8, f, dump_random(&gen_int8));
  if (name == "float8") c = make_column(oids::kFloat8, f, dump_random(&gen_float8));
  if (name == "text") c = make_column(oids::kText, f, dump_random(&gen_text));
  if (name == "timestamptz") c = make_column(oids::kTimestamptz, f, dump_random(&gen_timestamptz));
  if (name == "numeric") c = make_column(oids::kNumeric, f, dump_random(&gen_numeric));
  if (name == "int4[]") c = make_column(oids::kInt4Array, f, dump_random(&gen_int4_array));
  return cache->emplace(key, std::move(c)).first->second;
}

// Runs `decode(const FieldData&) -> int64_t checksum part` over the column.
template <class Decode>
void run(benchmark::State& state, const std::string& name, Format f, Decode&& decode) {
  const ColumnData& c = column(name, f);
  int64_t allocations = 0;
  for (auto _ : state) {
    int64_t sum = 0;
    const int64_t before = allocation_count();
    for (size_t i = 0; i < kValues; ++i) sum += decode(c, i);
    allocations += allocation_count() - before;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kValues));
  state.counters["allocs/value"] = benchmark::Counter(
      static_cast<double>(allocations) / static_cast<double>(state.iterations() * kValues));
}

// Our path: a Row over the field, get<T>.
template <class T, class Fold>
void pgcpp_path(benchmark::State& state, const std::string& name, Format f, Fold&& fold) {
  run(state, name, f, [&](const ColumnData& c, size_t i) {
    const Row row(c.desc, std::span<const FieldData>(&c.fields[i], 1));
    return fold(row.get<T>(0));
  });
}

// The same through a ColumnReader (per-column checks hoisted out of the loop).
template <class T, class Fold>
void reader_path(benchmark::State& state, const std::string& name, Format f, Fold&& fold) {
  const ColumnReader<T> reader(column(name, f).desc, 0);
  run(state, name, f,
      [&](const ColumnData& c, size_t i) { return fold(reader.read(c.fields[i])); });
}

// Defines BM_<name>_Pgcpp (Row::get<T>) and BM_<name>_Reader (ColumnReader<T>).
#define PGCPP_DECODERS(name, T, column_name, format, fold)                                     \
  void BM_##name##_Pgcpp(benchmark::State& s) { pgcpp_path<T>(s, column_name, format, fold); } \
  void BM_##name##_Reader(benchmark::State& s) { reader_path<T>(s, column_name, format, fold); }

const char* value(const ColumnData& c, size_t i) { return c.fields[i].data; }

// ---- int4 ----------------------------------------------------------------------------
void BM_Int4_Binary_Raw(benchmark::State& s) {
  run(s, "int4", Format::kBinary, [](const ColumnData& c, size_t i) {
    uint32_t v;
    std::memcpy(&v, value(c, i), 4);
    return static_cast<int64_t>(static_cast<int32_t>(ntohl(v)));
  });
}
PGCPP_DECODERS(Int4_Binary, int32_t, "int4", Format::kBinary, [](int32_t v) { return int64_t{v}; })
void BM_Int4_Text_Raw(benchmark::State& s) {
  run(s, "int4", Format::kText,
      [](const ColumnData& c, size_t i) { return int64_t{std::strtol(value(c, i), nullptr, 10)}; });
}
PGCPP_DECODERS(Int4_Text, int32_t, "int4", Format::kText, [](int32_t v) { return int64_t{v}; })

// ---- int8 ----------------------------------------------------------------------------
void BM_Int8_Binary_Raw(benchmark::State& s) {
  run(s, "int8", Format::kBinary, [](const ColumnData& c, size_t i) {
    uint64_t v;
    std::memcpy(&v, value(c, i), 8);
    return static_cast<int64_t>(be64toh(v));
  });
}
PGCPP_DECODERS(Int8_Binary, int64_t, "int8", Format::kBinary, [](int64_t v) { return v; })
void BM_Int8_Text_Raw(benchmark::State& s) {
  run(s, "int8", Format::kText, [](const ColumnData& c, size_t i) {
    return static_cast<int64_t>(std::strtoll(value(c, i), nullptr, 10));
  });
}
PGCPP_DECODERS(Int8_Text, int64_t, "int8", Format::kText, [](int64_t v) { return v; })

// ---- float8 --------------------------------------------------------------------------
constexpr auto fold_double = [](double d) { return static_cast<int64_t>(d); };
void BM_Float8_Binary_Raw(benchmark::State& s) {
  run(s, "float8", Format::kBinary, [](const ColumnData& c, size_t i) {
    uint64_t v;
    std::memcpy(&v, value(c, i), 8);
    v = be64toh(v);
    double d;
    std::memcpy(&d, &v, 8);
    return fold_double(d);
  });
}
PGCPP_DECODERS(Float8_Binary, double, "float8", Format::kBinary, fold_double)
void BM_Float8_Text_Raw(benchmark::State& s) {
  run(s, "float8", Format::kText,
      [](const ColumnData& c, size_t i) { return fold_double(std::strtod(value(c, i), nullptr)); });
}
PGCPP_DECODERS(Float8_Text, double, "float8", Format::kText, fold_double)

// ---- text ----------------------------------------------------------------------------
void BM_Text_Binary_Raw(benchmark::State& s) {
  run(s, "text", Format::kBinary, [](const ColumnData& c, size_t i) {
    return static_cast<int64_t>(std::string_view(value(c, i), c.fields[i].size)[3]);
  });
}
PGCPP_DECODERS(Text_Binary, std::string_view, "text", Format::kBinary,
               [](std::string_view v) { return static_cast<int64_t>(v[3]); })
void BM_Text_Text_Raw(benchmark::State& s) {
  run(s, "text", Format::kText, [](const ColumnData& c, size_t i) {
    return static_cast<int64_t>(std::string_view(value(c, i), c.fields[i].size)[3]);
  });
}
PGCPP_DECODERS(Text_Text, std::string_view, "text", Format::kText,
               [](std::string_view v) { return static_cast<int64_t>(v[3]); })
// Copying into std::string (20 bytes: one allocation each, in both paths).
void BM_TextCopy_Text_Raw(benchmark::State& s) {
  run(s, "text", Format::kText, [](const ColumnData& c, size_t i) {
    const std::string copy(value(c, i), static_cast<size_t>(c.fields[i].size));
    return static_cast<int64_t>(copy[3]);
  });
}
PGCPP_DECODERS(TextCopy_Text, std::string, "text", Format::kText,
               [](const std::string& v) { return static_cast<int64_t>(v[3]); })

// ---- timestamptz ---------------------------------------------------------------------
void BM_Timestamptz_Binary_Raw(benchmark::State& s) {
  run(s, "timestamptz", Format::kBinary, [](const ColumnData& c, size_t i) {
    uint64_t v;
    std::memcpy(&v, value(c, i), 8);
    return static_cast<int64_t>(be64toh(v));
  });
}
PGCPP_DECODERS(Timestamptz_Binary, TimestampTz, "timestamptz", Format::kBinary,
               [](TimestampTz t) { return t.micros(); })
// The raw text baseline: strtol over "YYYY-MM-DD HH:MM:SS[.ffffff]+00" and a civil-date
// computation (no validation).
void BM_Timestamptz_Text_Raw(benchmark::State& s) {
  run(s, "timestamptz", Format::kText, [](const ColumnData& c, size_t i) {
    char* p;
    const long year = std::strtol(value(c, i), &p, 10);
    const long month = std::strtol(p + 1, &p, 10);
    const long day = std::strtol(p + 1, &p, 10);
    const long hour = std::strtol(p + 1, &p, 10);
    const long minute = std::strtol(p + 1, &p, 10);
    const double second = std::strtod(p + 1, &p);
    const long offset = std::strtol(p, &p, 10);
    const int64_t days = adapt_internal::days_from_civil(year, static_cast<uint32_t>(month),
                                                         static_cast<uint32_t>(day));
    return days * 86400000000 + ((hour - offset) * 60 + minute) * 60000000 +
           static_cast<int64_t>(second * 1e6);
  });
}
PGCPP_DECODERS(Timestamptz_Text, TimestampTz, "timestamptz", Format::kText,
               [](TimestampTz t) { return t.micros(); })

// ---- numeric(12,2) -------------------------------------------------------------------
// The raw baselines read a double (strtod; base-10000 digits with ntohs), which is not
// exact; pgcpp::Numeric is.
void BM_Numeric_Binary_Raw(benchmark::State& s) {
  run(s, "numeric", Format::kBinary, [](const ColumnData& c, size_t i) {
    const char* p = value(c, i);
    uint16_t h[4];
    std::memcpy(h, p, 8);
    const int ndigits = ntohs(h[0]);
    const int weight = static_cast<int16_t>(ntohs(h[1]));
    double v = 0;
    for (int d = 0; d < ndigits; ++d) {
      uint16_t digit;
      std::memcpy(&digit, p + 8 + 2 * d, 2);
      v = v * 10000 + ntohs(digit);
    }
    for (int d = ndigits - 1; d > weight; --d) v /= 10000;
    return fold_double(ntohs(h[2]) == 0x4000 ? -v : v);
  });
}
PGCPP_DECODERS(Numeric_Binary, Numeric, "numeric", Format::kBinary,
               [](const Numeric& n) { return static_cast<int64_t>(n.digits().size()); })
void BM_Numeric_Text_Raw(benchmark::State& s) {
  run(s, "numeric", Format::kText,
      [](const ColumnData& c, size_t i) { return fold_double(std::strtod(value(c, i), nullptr)); });
}
PGCPP_DECODERS(Numeric_Text, Numeric, "numeric", Format::kText,
               [](const Numeric& n) { return static_cast<int64_t>(n.digits().size()); })

// ---- int4[] (10 elements) ------------------------------------------------------------
constexpr auto fold_vector = [](const std::vector<int32_t>& v) -> int64_t {
  return v.empty() ? 0 : v.back();
};
void BM_Int4Array_Binary_Raw(benchmark::State& s) {
  run(s, "int4[]", Format::kBinary, [](const ColumnData& c, size_t i) {
    const char* p = value(c, i);
    auto be32 = [](const char* q) {
      uint32_t v;
      std::memcpy(&v, q, 4);
      return ntohl(v);
    };
    const uint32_t ndim = be32(p);
    std::vector<int32_t> out;
    if (ndim == 1) {
      const uint32_t n = be32(p + 12);
      out.reserve(n);
      const char* e = p + 20;
      for (uint32_t k = 0; k < n; ++k) {
        out.push_back(static_cast<int32_t>(be32(e + 4)));
        e += 8;
      }
    }
    return fold_vector(out);
  });
}
PGCPP_DECODERS(Int4Array_Binary, std::vector<int32_t>, "int4[]", Format::kBinary, fold_vector)
void BM_Int4Array_Text_Raw(benchmark::State& s) {
  run(s, "int4[]", Format::kText, [](const ColumnData& c, size_t i) {
    const char* p = value(c, i) + 1;  // past '{'
    std::vector<int32_t> out;
    while (*p != '}' && *p != '\0') {
      char* end;
      out.push_back(static_cast<int32_t>(std::strtol(p, &end, 10)));
      p = *end == ',' ? end + 1 : end;
    }
    return fold_vector(out);
  });
}
PGCPP_DECODERS(Int4Array_Text, std::vector<int32_t>, "int4[]", Format::kText, fold_vector)

#define PGCPP_PAIR(name)                                       \
  BENCHMARK(BM_##name##_Raw)->Unit(benchmark::kMillisecond);   \
  BENCHMARK(BM_##name##_Pgcpp)->Unit(benchmark::kMillisecond); \
  BENCHMARK(BM_##name##_Reader)->Unit(benchmark::kMillisecond)

PGCPP_PAIR(Int4_Binary);
PGCPP_PAIR(Int4_Text);
PGCPP_PAIR(Int8_Binary);
PGCPP_PAIR(Int8_Text);
PGCPP_PAIR(Float8_Binary);
PGCPP_PAIR(Float8_Text);
PGCPP_PAIR(Text_Binary);
PGCPP_PAIR(Text_Text);
PGCPP_PAIR(TextCopy_Text);
PGCPP_PAIR(Timestamptz_Binary);
PGCPP_PAIR(Timestamptz_Text);
PGCPP_PAIR(Numeric_Binary);
PGCPP_PAIR(Numeric_Text);
PGCPP_PAIR(Int4Array_Binary);
PGCPP_PAIR(Int4Array_Text);

}  // namespace
}  // namespace pgcpp
