package boltstore

import (
	"encoding/json"
	"slices"
	"sync"

	"locatiedesk/data"
)

// Decoding JSON is most of what a read costs: a day's list decodes the
// group's contracts, its children and the day's records, nearly all of them
// the same as the last time the list was drawn. A decodeMemo remembers what
// stored bytes decode to, keyed by the bytes themselves. A value whose bytes
// are unchanged is not decoded again; changed bytes are a different key and
// are decoded afresh. So the memo can never hand out stale data and needs
// no invalidation: every read still reads its own transaction's bytes, and
// only the decoding is saved. That holds in write transactions too.
type decodeMemo[T any] struct {
	mu     sync.RWMutex
	values map[string]T
	limit  int
	decode func(raw []byte) (T, error)
	// clone copies what a caller could change in place (slices, pointers),
	// so no caller changes the remembered value.
	clone func(T) T
}

func newMemo[T any](limit int, clone func(T) T) *decodeMemo[T] {
	return &decodeMemo[T]{values: map[string]T{}, limit: limit, clone: clone, decode: func(raw []byte) (T, error) {
		var v T
		err := json.Unmarshal(raw, &v)
		return v, err
	}}
}

func (m *decodeMemo[T]) get(raw []byte) (T, error) {
	v, ok := m.lookup(raw)
	if !ok {
		var err error
		if v, err = m.decode(raw); err != nil {
			return v, err
		}
		m.remember(raw, v)
	}
	if m.clone != nil {
		v = m.clone(v)
	}
	return v, nil
}

// lookup and remember read raw, which lies in the file's memory map, while
// they hold the lock: a damaged page can make that read panic (guardPages),
// and the deferred unlock keeps the memo usable afterwards.
func (m *decodeMemo[T]) lookup(raw []byte) (T, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.values[string(raw)]
	return v, ok
}

func (m *decodeMemo[T]) remember(raw []byte, v T) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.values) >= m.limit {
		for k := range m.values { // the map's order is random: evict any one
			delete(m.values, k)
			break
		}
	}
	m.values[string(raw)] = v // string() copies raw out of the transaction's memory map
}

// forget drops every remembered value.
func (m *decodeMemo[T]) forget() {
	m.mu.Lock()
	clear(m.values)
	m.mu.Unlock()
}

// forgetDecoded empties every memo, after a purge of personal data.
func forgetDecoded() {
	contractMemo.forget()
	childMemo.forget()
	attendanceMemo.forget()
	requestMemo.forget()
	groupMemo.forget()
	extraMemo.forget()
	creditMemo.forget()
	holidayMemo.forget()
	signUpMemo.forget()
	settingsMemo.forget()
}

// The memos of the values the daily screens read. The limits hold a large
// location's working set (a few MB at most); an office working for many
// locations evicts and decodes more, never reads anything stale.
var (
	contractMemo   = newMemo(8192, func(c data.Contract) data.Contract { c.Days = slices.Clone(c.Days); return c })
	childMemo      = newMemo(8192, func(c data.Child) data.Child { c.Picture = slices.Clone(c.Picture); return c })
	attendanceMemo = newMemo(8192, func(a data.Attendance) data.Attendance {
		a.CheckIn, a.CheckOut, a.Credit = clonePtr(a.CheckIn), clonePtr(a.CheckOut), clonePtr(a.Credit)
		return a
	})
	requestMemo = newMemo(4096, func(r data.Request) data.Request {
		r.Payment.Allocations = slices.Clone(r.Payment.Allocations)
		return r
	})
	groupMemo    = newMemo[data.Group](1024, nil)
	extraMemo    = newMemo[data.Extra](4096, nil)
	creditMemo   = newMemo[data.CreditEntry](8192, nil)
	holidayMemo  = newMemo[data.SchoolHoliday](1024, nil)
	signUpMemo   = newMemo[data.SignUp](4096, nil)
	settingsMemo = &decodeMemo[data.Settings]{values: map[string]data.Settings{}, limit: 4, decode: func(raw []byte) (data.Settings, error) {
		// Over the defaults, so a setting added later has its default in an older file.
		s := data.DefaultSettings()
		err := json.Unmarshal(raw, &s)
		return s, err
	}}
)

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// decodeJSON decodes raw into a T, through T's memo when it has one.
func decodeJSON[T any](raw []byte) (T, error) {
	if m := memoFor[T](); m != nil {
		return m.get(raw)
	}
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}

// memoFor returns T's memo, or nil for a type read too seldom to keep.
func memoFor[T any]() *decodeMemo[T] {
	var memo any // a pointer: asserting it back allocates nothing
	switch any((*T)(nil)).(type) {
	case *data.Contract:
		memo = contractMemo
	case *data.Child:
		memo = childMemo
	case *data.Attendance:
		memo = attendanceMemo
	case *data.Request:
		memo = requestMemo
	case *data.Group:
		memo = groupMemo
	case *data.Extra:
		memo = extraMemo
	case *data.CreditEntry:
		memo = creditMemo
	case *data.SchoolHoliday:
		memo = holidayMemo
	case *data.SignUp:
		memo = signUpMemo
	case *data.Settings:
		memo = settingsMemo
	default:
		return nil
	}
	return memo.(*decodeMemo[T])
}
