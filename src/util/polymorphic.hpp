#pragma once
// A base for interfaces that are used through pointers and owned by one place (a database
// connection, its prepared statements): a virtual destructor, and no copies, which through the
// base would copy a slice of the object.

namespace zw::util {

class Polymorphic {
public:
  virtual ~Polymorphic() = default;
  Polymorphic() = default;
  Polymorphic(const Polymorphic&) = delete;
  Polymorphic& operator=(const Polymorphic&) = delete;
  Polymorphic(Polymorphic&&) = delete;
  Polymorphic& operator=(Polymorphic&&) = delete;
};

} // namespace zw::util
