// Command genstore writes the network side of data.Store from the interface
// itself, so that the ~110 procedures never drift from it: the request and
// response types with the procedure table (hub/wire), the client's methods
// (hub/client) and the hub's dispatch (hub), plus the published schema
// (hub/wire/SCHEMA.md). Run by go generate in package hub.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"go/importer"
	"go/token"
	"go/types"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// handwritten are the methods the hub and client write by hand: the clock
// (no context), the feed (a stream), signing in (a session), and the handle's
// own lifetime.
var handwritten = map[string]bool{
	"Today": true, "Now": true, "Subscribe": true, "As": true, "Close": true,
	"SignIn": true, "SetUp": true,
}

// reads are the methods that change nothing, so a call may be repeated
// freely and needs no idempotency key. Every other method counts as a write:
// a method added to data.Store is a write until it is listed here.
var reads = set("Locations", "Groups", "GroupByName", "Children", "DayList", "PresentNow",
	"Schools", "SchoolByName", "SchoolCalendar", "HolidayOverview", "StudyDays", "StudyDaySheet",
	"StudyDayNotice", "Consent", "ConsentOverview", "Settings", "Group", "Child", "Ledger",
	"RequestChildren", "PreviewRequest", "OpenRequests", "LocationQueue", "Request",
	"OpenRequestCounts", "ChildRequests", "Contracts", "PlanChildImport", "Users", "ActorFor",
	"IsEmpty", "Organisation", "OrganisationName", "StaffAccounts", "Audit", "WriteBackup", "Now", "Today",
	"PreviewInvoicing", "InvoiceBatches", "InvoiceBatch", "InvoiceLines", "PendingPairings", "Devices", "Device")

// public are the procedures a paired device may call before anyone signs
// in: the sign-in list and what the first-start screen needs. Everything
// else needs a session; SetUp the hub's owner key.
var public = set("Users", "IsEmpty", "OrganisationName", "SignIn", "Today", "Now")

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// param is one argument of a method as it travels.
type param struct {
	Name, Field string
	Type        types.Type
	Kind        string // "value", "reader" (sent as bytes), "writer" (returned as bytes), "progress" (not sent)
}

type method struct {
	Name        string
	Params      []param
	Result      types.Type // nil: error only
	Seq         bool       // the result is an iter.Seq2[T, error], sent as []T
	Output      bool       // an io.Writer parameter: the written bytes come back
	Read        bool
	Public      bool
	Handwritten bool
	// ErrFields are the result's fields of type error: they travel beside it
	// as wire.ErrorJSON.
	ErrFields []errField
}

type errField struct{ Name, JSON string }

func main() {
	log.SetFlags(0)
	for name, src := range generate() {
		writeRaw(name, src)
	}
}

// generate is every generated file by its path under package hub.
func generate() map[string][]byte {
	fset := token.NewFileSet()
	pkg, err := importer.ForCompiler(fset, "source", nil).Import("locatiedesk/data")
	if err != nil {
		log.Fatal(err)
	}
	store := pkg.Scope().Lookup("Store").Type().Underlying().(*types.Interface)
	var methods []method
	for i := range store.NumMethods() {
		f := store.Method(i)
		methods = append(methods, describe(f))
	}
	sort.Slice(methods, func(i, j int) bool { return methods[i].Name < methods[j].Name })
	var sentinels []string
	for _, name := range pkg.Scope().Names() {
		v, ok := pkg.Scope().Lookup(name).(*types.Var)
		if ok && v.Exported() && strings.HasPrefix(name, "Err") && types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
			sentinels = append(sentinels, name)
		}
	}
	var typed []typedErr
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || !tn.Exported() || tn.IsAlias() {
			continue
		}
		if _, ok := tn.Type().Underlying().(*types.Struct); !ok {
			continue
		}
		switch {
		case types.Implements(tn.Type(), errorIface):
			typed = append(typed, typedErr{name, false})
		case types.Implements(types.NewPointer(tn.Type()), errorIface):
			typed = append(typed, typedErr{name, true})
		}
	}
	return map[string][]byte{
		"wire/procedures_gen.go": formatted("wire/procedures_gen.go", wireFile(methods, sentinels, typed)),
		"client/store_gen.go":    formatted("client/store_gen.go", clientFile(methods)),
		"dispatch_gen.go":        formatted("dispatch_gen.go", dispatchFile(methods)),
		"wire/SCHEMA.md":         schema(pkg, methods),
	}
}

func describe(f *types.Func) method {
	sig := f.Type().(*types.Signature)
	m := method{Name: f.Name(), Read: reads[f.Name()], Public: public[f.Name()], Handwritten: handwritten[f.Name()]}
	if m.Handwritten {
		return m
	}
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		t := types.TypeString(p.Type(), nil)
		switch {
		case t == "context.Context":
			continue
		case t == "io.Reader":
			m.Params = append(m.Params, param{p.Name(), exported(p.Name()), p.Type(), "reader"})
		case t == "io.Writer":
			m.Params = append(m.Params, param{p.Name(), "", p.Type(), "writer"})
			m.Output = true
		case t == "func(float64)":
			m.Params = append(m.Params, param{p.Name(), "", p.Type(), "progress"})
		default:
			m.Params = append(m.Params, param{p.Name(), exported(p.Name()), p.Type(), "value"})
		}
	}
	res := sig.Results()
	switch {
	case res.Len() == 1 && isError(res.At(0).Type()):
	case res.Len() == 2 && isError(res.At(1).Type()):
		m.Result = res.At(0).Type()
	case res.Len() == 1 && strings.HasPrefix(types.TypeString(res.At(0).Type(), nil), "iter.Seq2["):
		m.Seq = true
		m.Result = typeArgs(res.At(0).Type()).At(0)
	default:
		log.Fatalf("%s: results %s cannot travel; write it by hand (handwritten)", f.Name(), res)
	}
	if m.Result != nil && !m.Seq {
		m.ErrFields = errorFields(f.Name(), m.Result)
	}
	return m
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// errorFields are the fields of type error of a result struct. An error
// deeper inside (in a list, say) cannot travel yet: the generator stops.
func errorFields(method string, t types.Type) []errField {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		if holdsError(t, map[types.Type]bool{}) {
			log.Fatalf("%s: its result holds an error where it cannot travel", method)
		}
		return nil
	}
	var out []errField
	for i := range st.NumFields() {
		f := st.Field(i)
		if isError(f.Type()) {
			name, _, _ := strings.Cut(reflectTag(st.Tag(i)), ",")
			if name == "" {
				name = f.Name()
			}
			out = append(out, errField{f.Name(), name + "Error"})
		} else if holdsError(f.Type(), map[types.Type]bool{}) {
			log.Fatalf("%s: its result's field %s holds an error where it cannot travel", method, f.Name())
		}
	}
	return out
}

func holdsError(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	if isError(t) {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return holdsError(u.Elem(), seen)
	case *types.Slice:
		return holdsError(u.Elem(), seen)
	case *types.Array:
		return holdsError(u.Elem(), seen)
	case *types.Map:
		return holdsError(u.Key(), seen) || holdsError(u.Elem(), seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if u.Field(i).Exported() && holdsError(u.Field(i).Type(), seen) {
				return true
			}
		}
	}
	return false
}

// typeArgs are the type arguments of an instantiated generic type or alias.
func typeArgs(t types.Type) *types.TypeList {
	if a, ok := t.(*types.Alias); ok {
		return a.TypeArgs()
	}
	return t.(*types.Named).TypeArgs()
}

func isError(t types.Type) bool { return types.Identical(t, types.Universe.Lookup("error").Type()) }

func exported(s string) string {
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// typ spells t in generated code, with package data as "data".
func typ(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

func header(pkg string, imports ...string) *bytes.Buffer {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by genstore from data.Store; DO NOT EDIT.\n\npackage %s\n\nimport (\n", pkg)
	for _, i := range imports {
		fmt.Fprintf(&b, "\t%q\n", i)
	}
	b.WriteString(")\n\n")
	return &b
}

// typedErr is an error type of package data; Pointer: its Error method has
// a pointer receiver.
type typedErr struct {
	Name    string
	Pointer bool
}

func wireFile(methods []method, sentinels []string, typed []typedErr) []byte {
	b := header("wire", "encoding/json", "errors", "time", "locatiedesk/data")
	b.WriteString("var _ time.Time // some results are times\n\n")
	b.WriteString("// The procedures, versioned: a client speaks the version in the path.\nconst (\n")
	for _, m := range methods {
		fmt.Fprintf(b, "\tProc%s = Prefix + %q\n", m.Name, m.Name)
	}
	b.WriteString(")\n\n")
	b.WriteString("// Procedures are every procedure of the Store service with what the hub needs to know about it.\nvar Procedures = []Procedure{\n")
	for _, m := range methods {
		fmt.Fprintf(b, "\t{Name: Proc%s, Read: %v, Public: %v},\n", m.Name, m.Read, m.Public)
	}
	b.WriteString("}\n\n")
	b.WriteString("// Sentinels are the errors of package data by name, so errors.Is works the same on both ends.\nvar Sentinels = map[string]error{\n")
	for _, s := range sentinels {
		fmt.Fprintf(b, "\t%q: data.%s,\n", s, s)
	}
	b.WriteString("}\n\n")
	b.WriteString("// typedErrors are the error types of package data, found by errors.As on both ends.\nvar typedErrors = []typedError{\n")
	for _, t := range typed {
		ref, target := "", "t"
		if t.Pointer {
			ref, target = "*", "&t"
		}
		fmt.Fprintf(b, "\t{%q, func(err error) (error, bool) { var t %sdata.%s; ok := errors.As(err, &t); return t, ok }, func(b json.RawMessage) (error, error) { var t data.%s; err := json.Unmarshal(b, &t); return %s, err }},\n",
			t.Name, ref, t.Name, t.Name, target)
	}
	b.WriteString("}\n\n")
	for _, m := range methods {
		if m.Handwritten {
			continue
		}
		fmt.Fprintf(b, "// %sRequest is the arguments of data.Store.%s.\ntype %sRequest struct {\n", m.Name, m.Name, m.Name)
		for _, p := range m.Params {
			switch p.Kind {
			case "value":
				fmt.Fprintf(b, "\t%s %s `json:%q`\n", p.Field, typ(p.Type), p.Name)
			case "reader":
				fmt.Fprintf(b, "\t%s []byte `json:%q`\n", p.Field, p.Name)
			}
		}
		fmt.Fprintf(b, "}\n\n// %sResponse is the result of data.Store.%s.\ntype %sResponse struct {\n", m.Name, m.Name, m.Name)
		switch {
		case m.Seq:
			fmt.Fprintf(b, "\tResult []%s `json:\"result\"`\n", typ(m.Result))
		case m.Result != nil:
			fmt.Fprintf(b, "\tResult %s `json:\"result\"`\n", typ(m.Result))
		}
		if m.Output {
			b.WriteString("\tOutput []byte `json:\"output\"`\n")
		}
		for _, f := range m.ErrFields {
			fmt.Fprintf(b, "\t// %sError is Result.%s, which travels beside it.\n\t%sError *ErrorJSON `json:%q`\n", f.Name, f.Name, f.Name, f.JSON+",omitempty")
		}
		b.WriteString("}\n\n")
	}
	return b.Bytes()
}

func clientFile(methods []method) []byte {
	b := header("client", "bytes", "context", "io", "iter", "time", "net/http", "connectrpc.com/connect", "locatiedesk/data", "locatiedesk/hub/wire")
	b.WriteString("var (\n\t_ = bytes.NewReader\n\t_ io.Reader\n\t_ iter.Seq[int]\n\t_ time.Time\n)\n\n")
	b.WriteString("// procedures are the connect clients of every generated procedure.\ntype procedures struct {\n")
	for _, m := range methods {
		if !m.Handwritten {
			fmt.Fprintf(b, "\t%s *connect.Client[wire.%sRequest, wire.%sResponse]\n", m.Name, m.Name, m.Name)
		}
	}
	b.WriteString("}\n\nfunc newProcedures(h *http.Client, base string, opts ...connect.ClientOption) procedures {\n\treturn procedures{\n")
	for _, m := range methods {
		if !m.Handwritten {
			fmt.Fprintf(b, "\t\t%s: connect.NewClient[wire.%sRequest, wire.%sResponse](h, base+wire.Proc%s, append(opts, idempotency(%v))...),\n", m.Name, m.Name, m.Name, m.Name, m.Read)
		}
	}
	b.WriteString("\t}\n}\n\n")
	for _, m := range methods {
		if m.Handwritten {
			continue
		}
		var params, fields []string
		params = append(params, "ctx context.Context")
		var pre, post []string
		for _, p := range m.Params {
			params = append(params, p.Name+" "+typ(p.Type))
			switch p.Kind {
			case "value":
				fields = append(fields, fmt.Sprintf("%s: %s", p.Field, p.Name))
			case "reader":
				pre = append(pre, fmt.Sprintf("%sBytes, err := io.ReadAll(%s)\n\tif err != nil {\n\t\treturn %s\n\t}", p.Name, p.Name, zeroReturn(m, "err")))
				fields = append(fields, fmt.Sprintf("%s: %sBytes", p.Field, p.Name))
			case "writer":
				post = append(post, fmt.Sprintf("if _, err := io.Copy(%s, bytes.NewReader(resp.Output)); err != nil {\n\t\treturn %s\n\t}", p.Name, zeroReturn(m, "err")))
			}
		}
		ret := "error"
		switch {
		case m.Seq:
			ret = fmt.Sprintf("iter.Seq2[%s, error]", typ(m.Result))
		case m.Result != nil:
			ret = fmt.Sprintf("(%s, error)", typ(m.Result))
		}
		fmt.Fprintf(b, "// %s calls data.Store.%s on the hub.\nfunc (cl *Client) %s(%s) %s {\n", m.Name, m.Name, m.Name, strings.Join(params, ", "), ret)
		for _, s := range pre {
			fmt.Fprintf(b, "\t%s\n", s)
		}
		call := fmt.Sprintf("call(ctx, cl, cl.procs.%s, %v, &wire.%sRequest{%s})", m.Name, !m.Read, m.Name, strings.Join(fields, ", "))
		if m.Seq {
			fmt.Fprintf(b, "\tresp, err := %s\n\treturn sequence(resp.Result, err)\n}\n\n", call)
			continue
		}
		if m.Result == nil && !m.Output {
			fmt.Fprintf(b, "\t_, err := %s\n\treturn err\n}\n\n", call)
			continue
		}
		fmt.Fprintf(b, "\tresp, err := %s\n\tif err != nil {\n\t\treturn %s\n\t}\n", call, zeroReturn(m, "err"))
		for _, s := range post {
			fmt.Fprintf(b, "\t%s\n", s)
		}
		for _, f := range m.ErrFields {
			fmt.Fprintf(b, "\tresp.Result.%s = resp.%sError.Err()\n", f.Name, f.Name)
		}
		if m.Result != nil {
			b.WriteString("\treturn resp.Result, nil\n}\n\n")
		} else {
			b.WriteString("\treturn nil\n}\n\n")
		}
	}
	return b.Bytes()
}

func zeroReturn(m method, err string) string {
	if m.Result == nil {
		return err
	}
	return fmt.Sprintf("*new(%s), %s", typ(m.Result), err)
}

func dispatchFile(methods []method) []byte {
	b := header("hub", "bytes", "context", "net/http", "locatiedesk/data", "locatiedesk/hub/wire")
	b.WriteString("var _ = bytes.NewReader\n\n")
	b.WriteString("// generatedHandlers are the hub's handlers of every generated procedure, by path.\nfunc (h *Hub) generatedHandlers() map[string]http.Handler {\n\treturn map[string]http.Handler{\n")
	for _, m := range methods {
		if m.Handwritten {
			continue
		}
		fmt.Fprintf(b, "\t\twire.Proc%s: unary(h, wire.Proc%s, func(ctx context.Context, s data.Store, req *wire.%sRequest) (*wire.%sResponse, error) {\n", m.Name, m.Name, m.Name, m.Name)
		var args []string
		args = append(args, "ctx")
		for _, p := range m.Params {
			switch p.Kind {
			case "value":
				args = append(args, "req."+p.Field)
			case "reader":
				args = append(args, fmt.Sprintf("bytes.NewReader(req.%s)", p.Field))
			case "writer":
				b.WriteString("\t\t\tvar out bytes.Buffer\n")
				args = append(args, "&out")
			case "progress":
				args = append(args, "nil")
			}
		}
		callExpr := fmt.Sprintf("s.%s(%s)", m.Name, strings.Join(args, ", "))
		outField := ""
		if m.Output {
			outField = ", Output: out.Bytes()"
		}
		switch {
		case m.Seq:
			fmt.Fprintf(b, "\t\t\tvar all []%s\n\t\t\tfor v, err := range %s {\n\t\t\t\tif err != nil {\n\t\t\t\t\treturn nil, err\n\t\t\t\t}\n\t\t\t\tall = append(all, v)\n\t\t\t}\n\t\t\treturn &wire.%sResponse{Result: all}, nil\n", typ(m.Result), callExpr, m.Name)
		case len(m.ErrFields) > 0:
			fmt.Fprintf(b, "\t\t\tresult, err := %s\n\t\t\tresp := &wire.%sResponse{Result: result%s}\n", callExpr, m.Name, outField)
			for _, f := range m.ErrFields {
				fmt.Fprintf(b, "\t\t\tresp.%sError, resp.Result.%s = wire.EncodeError(result.%s), nil\n", f.Name, f.Name, f.Name)
			}
			b.WriteString("\t\t\treturn resp, err\n")
		case m.Result != nil:
			fmt.Fprintf(b, "\t\t\tresult, err := %s\n\t\t\treturn &wire.%sResponse{Result: result%s}, err\n", callExpr, m.Name, outField)
		default:
			// The call first: the response takes what it wrote.
			fmt.Fprintf(b, "\t\t\terr := %s\n\t\t\treturn &wire.%sResponse{%s}, err\n", callExpr, m.Name, strings.TrimPrefix(outField, ", "))
		}
		b.WriteString("\t\t}),\n")
	}
	b.WriteString("\t}\n}\n")
	return b.Bytes()
}

// schema is the published description of every procedure and the JSON
// shapes of its request and response.
func schema(pkg *types.Package, methods []method) []byte {
	var b bytes.Buffer
	b.WriteString("<!-- Code generated by genstore from data.Store; DO NOT EDIT. -->\n# Locatiedesk hub protocol, version 1\n\n")
	b.WriteString("The hub serves the `Store` service over HTTPS only (HTTP/1.1 and HTTP/2), with the\n" +
		"[Connect protocol](https://connectrpc.com/docs/protocol): a unary call is\n" +
		"`POST /locatiedesk.v1.Store/<Procedure>` with `Content-Type: application/json` and the\n" +
		"request object as body; the answer is the response object. An error is a Connect\n" +
		"error (`{\"code\": …, \"message\": …, \"details\": […]}`); its detail `google.protobuf.Struct`\n" +
		"is an ErrorJSON: `message`, `kinds` (the names of the errors it counts as, e.g.\n" +
		"`ErrNotFound`) and `typed` (its values of the error types of package data, e.g.\n" +
		"`{\"type\": \"Refusal\", \"value\": {\"Code\": …, \"Args\": {…}}}`). A result field of type\n" +
		"error travels beside the result as `<field>Error`, an ErrorJSON.\n\n" +
		"An `Unlock` travels as `{\"date\", \"by\"}`; the hub accepts back only the unlocks it\n" +
		"handed to the same session.\n\n" +
		"Headers: `Locatiedesk-Device: <deviceID>.<credential>` on every call but `Now` and\n" +
		"the hub service's: the credential the device got when it was paired; a call without\n" +
		"it, with a wrong one or from a revoked device is refused (`unauthenticated`,\n" +
		"`ErrDeviceNotPaired`) before anything is read or written. `Authorization: Bearer\n" +
		"<session>` (from SignIn) on every call that is not public; `Idempotency-Key: <random>`\n" +
		"on every write, the same on a retry, so a retried write is applied once. The hub never\n" +
		"takes the acting person from a request: it is the session's, and a session holds on\n" +
		"the device it was signed in on only. `SetUp` needs the hub's owner key\n" +
		"(`Authorization: Bearer <owner key>`), which only the hub's own computer holds.\n\n" +
		"The hub service `/locatiedesk.v1.Hub/` is public: `HubInfo` (request `{}`, answer\n" +
		"`{\"hubName\", \"empty\"}`) and `Pair`: request `{\"proof\", \"deviceName\"}`, where proof\n" +
		"is HMAC-SHA256 with the one-time code a manager made (upper case, without dash) as key\n" +
		"over the certificate fingerprint the device saw (64 hex digits in pairs joined by colons,\n" +
		"upper case), base64; answer `{\"deviceID\", \"deviceName\", \"credential\", \"hubName\"}`.\n" +
		"The code itself never travels, so a man in the middle, whose certificate differs,\n" +
		"learns nothing and cannot pair.\n\n" +
		"`Subscribe` is a server stream: request `{\"after\": seq, \"resume\": bool}`, then one\n" +
		"message per change, each `{\"change\": Change}`; its first message is `{\"head\": seq}`,\n" +
		"the number the stream starts after.\n\n")
	b.WriteString("| Procedure | Kind | Request | Response |\n|---|---|---|---|\n")
	named := map[*types.TypeName]bool{}
	for _, m := range methods {
		kind := "write"
		if m.Read {
			kind = "read"
		}
		if m.Public {
			kind += ", public"
		}
		req, resp := "", ""
		if m.Handwritten {
			req, resp = "see below", "see below"
		} else {
			var fs []string
			for _, p := range m.Params {
				switch p.Kind {
				case "value":
					fs = append(fs, fmt.Sprintf("`%s`: %s", p.Name, shape(p.Type, named)))
				case "reader":
					fs = append(fs, fmt.Sprintf("`%s`: bytes (base64)", p.Name))
				}
			}
			req = "{" + strings.Join(fs, ", ") + "}"
			var rs []string
			switch {
			case m.Seq:
				rs = append(rs, fmt.Sprintf("`result`: [%s]", shape(m.Result, named)))
			case m.Result != nil:
				rs = append(rs, fmt.Sprintf("`result`: %s", shape(m.Result, named)))
			}
			if m.Output {
				rs = append(rs, "`output`: bytes (base64)")
			}
			resp = "{" + strings.Join(rs, ", ") + "}"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", m.Name, kind, req, resp)
	}
	b.WriteString("\nHand-written procedures:\n\n" +
		"- `SignIn` {`userID`: integer, `secret`: string} → {`actor`: Actor, `session`: string}\n" +
		"- `SetUp` {`setup`: OrganisationSetup} → {`actor`: Actor, `session`: string}\n" +
		"- `Now` {} → {`now`: time}; `Today` is its date.\n" +
		"- `Subscribe` (server stream), above.\n\n")
	b.WriteString("## Types\n\nFields are named as in JSON; `?` marks a field left out when empty.\n\n")
	var names []*types.TypeName
	for seen := 0; seen != len(named); {
		seen = len(named)
		for tn := range named {
			if st, ok := tn.Type().Underlying().(*types.Struct); ok {
				for i := range st.NumFields() {
					shape(st.Field(i).Type(), named)
				}
			}
		}
	}
	for tn := range named {
		names = append(names, tn)
	}
	slices.SortFunc(names, func(a, b *types.TypeName) int { return strings.Compare(a.Name(), b.Name()) })
	for _, tn := range names {
		fmt.Fprintf(&b, "### %s\n\n", tn.Name())
		switch u := tn.Type().Underlying().(type) {
		case *types.Struct:
			writeFields(&b, u, named)
		default:
			fmt.Fprintf(&b, "%s\n", shape(u, named))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func writeFields(b *bytes.Buffer, st *types.Struct, named map[*types.TypeName]bool) {
	for i := range st.NumFields() {
		f := st.Field(i)
		if !f.Exported() {
			continue
		}
		tag := reflectTag(st.Tag(i))
		if tag == "-" {
			continue
		}
		if f.Embedded() && tag == "" {
			if inner, ok := f.Type().Underlying().(*types.Struct); ok {
				writeFields(b, inner, named)
				continue
			}
		}
		name, opt, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name()
		}
		mark := ""
		if strings.Contains(opt, "omit") {
			mark = "?"
		}
		fmt.Fprintf(b, "- `%s%s`: %s\n", name, mark, shape(f.Type(), named))
	}
}

func reflectTag(tag string) string {
	for tag != "" {
		i := strings.Index(tag, `json:"`)
		if i < 0 {
			return ""
		}
		rest := tag[i+len(`json:"`):]
		j := strings.Index(rest, `"`)
		return rest[:j]
	}
	return ""
}

// shape is t as its JSON: a named type of package data links to its section.
func shape(t types.Type, named map[*types.TypeName]bool) string {
	switch t := t.(type) {
	case *types.Pointer:
		return shape(t.Elem(), named) + " or null"
	case *types.Slice:
		if b, ok := t.Elem().(*types.Basic); ok && b.Kind() == types.Byte {
			return "bytes (base64)"
		}
		return "[" + shape(t.Elem(), named) + "]"
	case *types.Map:
		return "{" + shape(t.Key(), named) + ": " + shape(t.Elem(), named) + "}"
	case *types.Alias:
		return shape(types.Unalias(t), named)
	case *types.Named:
		obj := t.Obj()
		switch {
		case obj.Pkg() == nil:
			return "string" // error
		case obj.Pkg().Path() == "time" && obj.Name() == "Time":
			return "time (RFC 3339)"
		case obj.Pkg().Path() == "time" && obj.Name() == "Duration":
			return "integer (nanoseconds)"
		case obj.Pkg().Path() == "locatiedesk/data":
			if hasMarshaler(t) {
				return obj.Name() + " (string)"
			}
			if _, ok := t.Underlying().(*types.Struct); ok {
				named[obj] = true
				return "[" + obj.Name() + "](#" + strings.ToLower(obj.Name()) + ")"
			}
			return obj.Name() + " (" + shape(t.Underlying(), named) + ")"
		}
		return obj.Name()
	case *types.Basic:
		switch {
		case t.Info()&types.IsInteger != 0:
			return "integer"
		case t.Info()&types.IsFloat != 0:
			return "number"
		case t.Info()&types.IsBoolean != 0:
			return "boolean"
		case t.Info()&types.IsString != 0:
			return "string"
		}
	case *types.Interface:
		return "any"
	}
	return t.String()
}

func hasMarshaler(t *types.Named) bool {
	for i := range t.NumMethods() {
		if n := t.Method(i).Name(); n == "MarshalJSON" || n == "MarshalText" {
			return true
		}
	}
	return false
}

func formatted(path string, src []byte) []byte {
	out, err := format.Source(src)
	if err != nil {
		os.WriteFile(path+".broken", src, 0o644)
		log.Fatalf("%s: %v", path, err)
	}
	return out
}

func writeRaw(path string, b []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
