#include "pgcpp/core/copy_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pgcpp::copy_internal {
namespace {

std::string escaped(std::string_view field) {
  std::string out = "prefix|";
  std::string scratch;
  const size_t start = out.size();
  out.append(field);
  escape_text_tail(out, start, scratch);
  std::string direct = "prefix|";
  append_escaped_text(field, direct);
  EXPECT_EQ(out, direct);
  return out.substr(start);
}

std::vector<std::string> parsed(std::string_view line, std::vector<bool>* nulls = nullptr) {
  std::vector<FieldData> fields;
  std::string scratch;
  parse_text_row(line, fields, scratch);
  std::vector<std::string> out;
  for (const FieldData& f : fields) {
    out.push_back(f.is_null ? "<NULL>" : std::string(f.data, static_cast<size_t>(f.size)));
    if (nulls) nulls->push_back(f.is_null);
  }
  return out;
}

TEST(CopyFormatTest, EscapesEverySpecialCharacter) {
  EXPECT_EQ(escaped("plain"), "plain");
  EXPECT_EQ(escaped("a\\b"), "a\\\\b");
  EXPECT_EQ(escaped("t\tn\nr\rb\bf\fv\v"), "t\\tn\\nr\\rb\\bf\\fv\\v");
  EXPECT_EQ(escaped("quotes ' \" stay"), "quotes ' \" stay");
  EXPECT_EQ(escaped("\\N"), "\\\\N");  // a literal backslash-N is not NULL
  EXPECT_EQ(escaped("ünïcødé ✓"), "ünïcødé ✓");
  EXPECT_EQ(escaped(""), "");
}

TEST(CopyFormatTest, TheWordScanNeverMissesAByteToEscape) {
  for (size_t size = 1; size <= 20; ++size) {
    for (size_t at = 0; at < size; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string s(size, 'a');
        s[at] = static_cast<char>(byte);
        const std::string e = escaped(s);
        if (e != s) {
          ASSERT_TRUE(may_need_escape(s)) << "size " << size << " at " << at << " byte " << byte;
        }
      }
    }
    EXPECT_FALSE(may_need_escape(std::string(size, 'a')));
    EXPECT_FALSE(may_need_escape(std::string(size, '\xc3')));  // UTF-8 bytes
  }
  EXPECT_FALSE(may_need_escape(std::string_view()));
}

TEST(CopyFormatTest, ParsesFieldsNullsAndEscapes) {
  EXPECT_EQ(parsed("1\t\\N\tx\\ny"), (std::vector<std::string>{"1", "<NULL>", "x\ny"}));
  EXPECT_EQ(parsed(""), (std::vector<std::string>{""}));
  EXPECT_EQ(parsed("\t"), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(parsed("\\\\N"), (std::vector<std::string>{"\\N"}));
  EXPECT_EQ(parsed("a\\tb\\\\c\\rd\\be\\ff\\vg"),
            (std::vector<std::string>{"a\tb\\c\rd\be\ff\vg"}));
  EXPECT_EQ(parsed("\\101\\x41\\x4a\\7\\q"), (std::vector<std::string>{"AAJ\7q"}));
}

TEST(CopyFormatTest, ParseInvertsEscape) {
  const std::vector<std::string> fields = {"tab\there", "nl\nhere", "back\\slash", "\\N", "ü ✓",
                                           "\r\b\f\v",  ""};
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back('\t');
    append_escaped_text(fields[i], line);
  }
  EXPECT_EQ(parsed(line), fields);
}

TEST(CopyFormatTest, BinaryHeaderAndRows) {
  std::string data(kBinaryHeader);
  append_be<int16_t>(data, 2);
  append_be<int32_t>(data, 3);
  data.append("abc");
  append_be<int32_t>(data, -1);
  data.append(kBinaryTrailer);
  const size_t header = parse_binary_header(data);
  EXPECT_EQ(header, kBinaryHeader.size());
  std::vector<FieldData> fields;
  const size_t used = parse_binary_row(std::string_view(data).substr(header), fields);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(std::string(fields[0].data, 3), "abc");
  EXPECT_TRUE(fields[1].is_null);
  EXPECT_TRUE(is_binary_trailer(std::string_view(data).substr(header + used)));
}

TEST(CopyFormatTest, BinaryHeaderExtensionIsSkipped) {
  std::string data(kBinarySignature);
  append_be<int32_t>(data, 0);
  append_be<int32_t>(data, 3);
  data.append("ext");
  EXPECT_EQ(parse_binary_header(data), kBinaryHeader.size() + 3);
}

TEST(CopyFormatTest, MalformedBinaryRaisesDataError) {
  EXPECT_THROW(parse_binary_header("PGCOPY\nnope and more bytes"), DataError);
  std::vector<FieldData> fields;
  std::string row;
  append_be<int16_t>(row, 1);
  append_be<int32_t>(row, 10);
  row.append("short");
  EXPECT_THROW(parse_binary_row(row, fields), DataError);
  EXPECT_THROW(parse_binary_row("\x00", fields), DataError);
}

}  // namespace
}  // namespace pgcpp::copy_internal
