package hub

import (
	"reflect"
	"sync"

	"locatiedesk/data"
)

// unlocks are the unlocks (A3) the hub handed out, by caller: an edit of
// another date than today counts only with an unlock its own session got,
// as on the local store only the store makes them.
type unlocks struct {
	mu     sync.Mutex
	issued map[unlockKey]bool
}

// unlockKey is an unlock as it travels (its date and who opened it), with
// the caller it was given to.
type unlockKey struct {
	principal string
	unlock    string
}

func keyOf(principal string, un *data.Unlock) unlockKey {
	b, _ := un.MarshalJSON()
	return unlockKey{principal, string(b)}
}

func (u *unlocks) add(principal string, un *data.Unlock) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.issued == nil {
		u.issued = map[unlockKey]bool{}
	}
	u.issued[keyOf(principal, un)] = true
}

// check refuses a request that carries an unlock this caller was not given.
func (u *unlocks) check(principal string, req any) error {
	var err error
	eachUnlock(reflect.ValueOf(req), func(un *data.Unlock) {
		u.mu.Lock()
		given := u.issued[keyOf(principal, un)]
		u.mu.Unlock()
		if !given && err == nil {
			err = data.ErrLocked
		}
	})
	return err
}

var dayEditType = reflect.TypeFor[data.DayEdit]()

// eachUnlock calls fn with every unlock in the DayEdits inside v.
func eachUnlock(v reflect.Value, fn func(*data.Unlock)) {
	if !holdsDayEdit(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			eachUnlock(v.Elem(), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			eachUnlock(v.Index(i), fn)
		}
	case reflect.Struct:
		if v.Type() == dayEditType {
			if e := v.Interface().(data.DayEdit); e.Unlock != nil {
				fn(e.Unlock)
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				eachUnlock(v.Field(i), fn)
			}
		}
	}
}

var dayEditHolders sync.Map // reflect.Type → bool

func holdsDayEdit(t reflect.Type) bool {
	if known, ok := dayEditHolders.Load(t); ok {
		return known.(bool)
	}
	dayEditHolders.Store(t, false) // a type that contains itself
	holds := false
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		holds = holdsDayEdit(t.Elem())
	case reflect.Struct:
		holds = t == dayEditType
		for i := 0; i < t.NumField() && !holds; i++ {
			holds = t.Field(i).IsExported() && holdsDayEdit(t.Field(i).Type)
		}
	}
	dayEditHolders.Store(t, holds)
	return holds
}
