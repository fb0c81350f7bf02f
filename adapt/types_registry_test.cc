#include "pgcpp/adapt/types_registry.h"

#include "gtest/gtest.h"

namespace pgcpp {
namespace {

TEST(TypesRegistry, KnowsBuiltins) {
  const TypesRegistry types;
  ASSERT_NE(types.get(oids::kInt4), nullptr);
  EXPECT_EQ(types.get(oids::kInt4)->name, "int4");
  EXPECT_EQ(types.get(oids::kInt4)->regtype, "integer");
  EXPECT_EQ(types.get(oids::kInt4Array)->name, "int4");  // an array finds its element
  EXPECT_EQ(types.get("int4[]")->array_oid, oids::kInt4Array);
  EXPECT_EQ(types.get("timestamp with time zone")->oid, oids::kTimestamptz);
  EXPECT_EQ(types.get_oid("text[]"), oids::kTextArray);
  EXPECT_EQ(types.get_oid("text"), oids::kText);
  EXPECT_EQ(types.get_oid("nosuchtype"), 0u);
  EXPECT_EQ(types.get(99999u), nullptr);
  EXPECT_EQ(types.element_oid(oids::kInt8Array), oids::kInt8);
  EXPECT_EQ(types.element_oid(oids::kInt8), 0u);
  EXPECT_EQ(types.delimiter(oids::kBox), ';');
  EXPECT_EQ(types.delimiter(oids::kInt4), ',');
  EXPECT_EQ(types.get_by_subtype(TypeKind::kRange, oids::kInt4)->oid, oids::kInt4range);
  EXPECT_EQ(types.get_by_subtype(TypeKind::kMultirange, oids::kDaterange)->oid,
            oids::kDatemultirange);
  EXPECT_EQ(types.get(oids::kDatemultirange)->kind, TypeKind::kMultirange);
  EXPECT_EQ(types.get("\"char\"")->oid, oids::kChar);
  // Every builtin array oid agrees with oid.h's switch.
  for (Oid oid = 1; oid < 10000; ++oid) {
    const TypeInfo* info = types.get(oid);
    if (info == nullptr || info->oid != oid) continue;
    EXPECT_EQ(builtin_array_oid(oid), info->array_oid) << info->name;
    if (info->array_oid != 0) {
      EXPECT_EQ(builtin_element_oid(info->array_oid), oid) << info->name;
    }
  }
}

TEST(TypesRegistry, AddIsCopyOnWrite) {
  TypesRegistry parent;
  TypesRegistry child = parent;
  parent.add({.name = "mood", .oid = 16390, .array_oid = 16389, .kind = TypeKind::kEnum});
  EXPECT_NE(parent.get("mood"), nullptr);
  EXPECT_EQ(child.get("mood"), nullptr);  // made before the change
  TypesRegistry grandchild = parent;
  grandchild.add({.name = "other", .oid = 16400});
  EXPECT_EQ(parent.get("other"), nullptr);
  EXPECT_NE(grandchild.get("mood"), nullptr);
  EXPECT_EQ(grandchild.get_oid("mood[]"), 16389u);
  // Replacing a type drops its old array oid and name.
  parent.add({.name = "mood2", .oid = 16390, .array_oid = 16391});
  EXPECT_EQ(parent.get(16389u), nullptr);
  EXPECT_EQ(parent.get("mood"), nullptr);
  EXPECT_EQ(parent.get(16391u)->name, "mood2");
}

}  // namespace
}  // namespace pgcpp
