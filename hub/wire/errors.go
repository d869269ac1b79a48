package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/structpb"

	"locatiedesk/data"
)

// codes are the Connect codes of the errors a caller acts on, first match
// wins; an error that is none of them is CodeUnknown.
var codes = []struct {
	err  error
	code connect.Code
}{
	{context.Canceled, connect.CodeCanceled},
	{context.DeadlineExceeded, connect.CodeDeadlineExceeded},
	{data.ErrForbidden, connect.CodePermissionDenied},
	{data.ErrWrongSecret, connect.CodeUnauthenticated},
	{data.ErrLockedOut, connect.CodeResourceExhausted},
	{data.ErrDeactivated, connect.CodePermissionDenied},
	{data.ErrNotFound, connect.CodeNotFound},
	{data.ErrLocked, connect.CodeFailedPrecondition},
	{data.ErrClosedDay, connect.CodeFailedPrecondition},
	{data.ErrNotEmpty, connect.CodeAlreadyExists},
	{data.ErrDamaged, connect.CodeDataLoss},
	{data.ErrInvalid, connect.CodeInvalidArgument},
}

// ErrNotSignedIn is a call that needs a session without one (or with one the
// hub no longer knows).
var ErrNotSignedIn = errors.New("not signed in on the hub")

// ToConnect is err as a Connect error: a code for curl and other clients,
// and a detail naming every sentinel error it is and the refusal it carries.
func ToConnect(err error) error {
	if err == nil {
		return nil
	}
	var ce *connect.Error
	if errors.As(err, &ce) {
		return err
	}
	code := connect.CodeUnknown
	for _, c := range codes {
		if errors.Is(err, c.err) {
			code = c.code
			break
		}
	}
	if errors.Is(err, ErrNotSignedIn) {
		code = connect.CodeUnauthenticated
	}
	var kinds []any
	for name, s := range Sentinels {
		if errors.Is(err, s) {
			kinds = append(kinds, name)
		}
	}
	for name, s := range map[string]error{"context.Canceled": context.Canceled, "context.DeadlineExceeded": context.DeadlineExceeded, "ErrNotSignedIn": ErrNotSignedIn} {
		if errors.Is(err, s) {
			kinds = append(kinds, name)
		}
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i].(string) < kinds[j].(string) })
	fields := map[string]any{"kinds": kinds}
	var r *data.Refusal
	if errors.As(err, &r) {
		if refusal, err := asJSONValue(r); err == nil {
			fields["refusal"] = refusal
		}
	}
	out := connect.NewError(code, errors.New(err.Error()))
	if st, err := structpb.NewStruct(fields); err == nil {
		if d, err := connect.NewErrorDetail(st); err == nil {
			out.AddDetail(d)
		}
	}
	return out
}

// asJSONValue is v as the plain maps, lists and scalars of its JSON.
func asJSONValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

// Error is an error the hub answered: its message, and the errors it
// counts as (errors.Is) and carries (errors.As a *data.Refusal).
type Error struct {
	Message string
	Code    connect.Code
	kinds   []error
}

func (e *Error) Error() string   { return e.Message }
func (e *Error) Unwrap() []error { return e.kinds }

// FromConnect is the error a Connect call returned, as the hub meant it:
// errors.Is finds the same sentinel errors, errors.As the same refusal. A
// failure of the network itself stays as Connect gives it.
func FromConnect(err error) error {
	var ce *connect.Error
	if err == nil || !errors.As(err, &ce) {
		return err
	}
	out := &Error{Message: ce.Message(), Code: ce.Code()}
	found := false
	for _, d := range ce.Details() {
		v, err := d.Value()
		st, ok := v.(*structpb.Struct)
		if err != nil || !ok {
			continue
		}
		found = true
		m := st.AsMap()
		if kinds, ok := m["kinds"].([]any); ok {
			for _, k := range kinds {
				if s, ok := knownKind(k); ok {
					out.kinds = append(out.kinds, s)
				}
			}
		}
		if r, ok := m["refusal"]; ok {
			b, _ := json.Marshal(r)
			var refusal data.Refusal
			if json.Unmarshal(b, &refusal) == nil && refusal.Code != "" {
				out.kinds = append(out.kinds, &refusal)
			}
		}
	}
	if !found {
		// Not from the hub's handlers (a cancelled call, a proxy): keep
		// Connect's own error, with the context error it stands for.
		switch ce.Code() {
		case connect.CodeCanceled:
			return fmt.Errorf("%w: %w", context.Canceled, err)
		case connect.CodeDeadlineExceeded:
			return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
		return err
	}
	return out
}

func knownKind(k any) (error, bool) {
	name, _ := k.(string)
	switch name {
	case "context.Canceled":
		return context.Canceled, true
	case "context.DeadlineExceeded":
		return context.DeadlineExceeded, true
	case "ErrNotSignedIn":
		return ErrNotSignedIn, true
	}
	s, ok := Sentinels[name]
	return s, ok
}
