#include "pgcpp/notify/notify.h"

namespace pgcpp {

std::ostream& operator<<(std::ostream& out, const Notify& notify) {
  return out << "Notify(channel='" << notify.channel << "', payload='" << notify.payload
             << "', pid=" << notify.pid << ")";
}

}  // namespace pgcpp
