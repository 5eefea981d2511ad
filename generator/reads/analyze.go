package reads

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"text/template/parse"
)

// Kind says how a template function reads its arguments.
type Kind uint8

const (
	// Values: the function's result depends on the whole value of each
	// argument (printf, lower, a date formatter).
	Values Kind = iota
	// Fields: for a pointer argument, on the fields Func.Fields lists for
	// its type (a link to an entity reads its slug); other arguments whole.
	Fields
	// Dict: builds a map from constant string keys (Hugo's dict).
	Dict
	// Partial: executes the template its first argument names with its
	// second as data; the rest are cache keys (partialCached).
	Partial
	// PartialDict: executes the template its first argument names with
	// the dict of the pairs its second argument (a constant) counts; the
	// rest are cache keys (partialCachedDict).
	PartialDict
)

// Func declares what a template function reads.
type Func struct {
	Kind   Kind
	Fields map[reflect.Type][]string // Kind Fields: by argument type, dotted field paths
}

// Declarations say what the functions and methods templates call read.
type Declarations struct {
	Funcs map[string]Func
	// Methods maps "view.Page.T" (reflect type name, method) to the dotted
	// field paths of the receiver the method reads. A method of a type
	// that can be signed whole (a date) needs no entry: it reads its
	// receiver; any other method without an entry makes the template
	// unanalysable.
	Methods map[string][]string
}

// value is what an expression may evaluate to: places in the data, a map
// made by dict, or (neither) a constant or a result computed only from
// what was already read.
type value struct {
	nodes []*Node
	dict  map[string]value
}

func union(a, b value) value {
	out := value{nodes: slices.Clone(a.nodes)}
	for _, n := range b.nodes {
		if !slices.Contains(out.nodes, n) {
			out.nodes = append(out.nodes, n)
		}
	}
	if a.dict != nil || b.dict != nil {
		out.dict = map[string]value{}
		for _, d := range []map[string]value{a.dict, b.dict} {
			for k, v := range d {
				out.dict[k] = union(out.dict[k], v)
			}
		}
	}
	return out
}

// failure stops the analysis of a template: it names what cannot be followed.
type failure struct {
	pos  string
	what string
}

func (f failure) Error() string { return f.pos + ": " + f.what }

type analyzer struct {
	trees map[string]*parse.Tree
	decl  Declarations
	done  map[string]bool // template name + data shape already analysed
	depth int
	tree  *parse.Tree // the template being read, for positions
}

type variable struct {
	name string
	v    value
}

// scope is one template execution's variables.
type scope struct {
	dot  value
	vars []variable
}

// Analyze returns the plan of template name of trees executed with a value
// of type root, or an error naming the first construct it cannot follow.
func Analyze(trees map[string]*parse.Tree, name string, root reflect.Type, decl Declarations) (plan *Plan, err error) {
	return AnalyzeShared(trees, name, root, decl, map[string]*Node{})
}

// AnalyzeShared is Analyze with subtrees shared with the other plans made
// with the same interned map (see Signer: shared subtrees share memos).
func AnalyzeShared(trees map[string]*parse.Tree, name string, root reflect.Type, decl Declarations, interned map[string]*Node) (plan *Plan, err error) {
	a := &analyzer{trees: trees, decl: decl, done: map[string]bool{}}
	top := newNode(root, step{})
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(failure)
			if !ok {
				panic(r)
			}
			plan, err = nil, f
		}
	}()
	a.call(name, value{nodes: []*Node{top}}, nil)
	return &Plan{root: freeze(top, interned)}, nil
}

// partialName is the template a partialCached call (of either form)
// executes: its first argument, a constant, of nargs (a piped value
// counts); second names what must follow it, for the error.
func (a *analyzer) partialName(n *parse.IdentifierNode, nargs int, argNodes []parse.Node, second string) string {
	if nargs < 2 {
		a.fail(n, "%s needs a template name and %s", n.Ident, second)
	}
	name, ok := argNodes[0].(*parse.StringNode)
	if !ok {
		a.fail(n, "%s needs a template name and %s", n.Ident, second)
	}
	return name.Text
}

func (a *analyzer) fail(n parse.Node, format string, args ...any) {
	pos := "template"
	if a.tree != nil && n != nil {
		loc, _ := a.tree.ErrorContext(n)
		pos = loc
	}
	panic(failure{pos: pos, what: fmt.Sprintf(format, args...)})
}

// shape names a value for the memo of analysed calls.
func shape(v value) string {
	var b strings.Builder
	for _, n := range v.nodes {
		fmt.Fprintf(&b, "%p,", n)
	}
	keys := make([]string, 0, len(v.dict))
	for k := range v.dict {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString("{" + k + ":" + shape(v.dict[k]) + "}")
	}
	return b.String()
}

// call analyses template name executed with dot.
func (a *analyzer) call(name string, dot value, at parse.Node) {
	t, ok := a.trees[name]
	if !ok {
		a.fail(at, "no template %q", name)
	}
	key := name + "\x00" + shape(dot)
	if a.done[key] {
		return // analysed, or being analysed (recursion): same reads
	}
	a.done[key] = true
	if a.depth > 64 {
		a.fail(at, "templates call each other too deep to follow")
	}
	a.depth++
	outer := a.tree
	a.tree = t
	a.list(t.Root, &scope{dot: dot, vars: []variable{{"$", dot}}})
	a.tree = outer
	a.depth--
}

func (a *analyzer) list(l *parse.ListNode, s *scope) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		a.node(n, s)
	}
}

func (a *analyzer) node(n parse.Node, s *scope) {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		v := a.pipe(n.Pipe, s)
		if len(n.Pipe.Decl) == 0 {
			a.readValue(v, n)
		}
	case *parse.IfNode:
		a.branch(&n.BranchNode, s, false, false)
	case *parse.WithNode:
		a.branch(&n.BranchNode, s, true, false)
	case *parse.RangeNode:
		a.branch(&n.BranchNode, s, true, true)
	case *parse.TemplateNode:
		dot := value{}
		if n.Pipe != nil {
			dot = a.pipe(n.Pipe, s)
		}
		a.call(n.Name, dot, n)
	case *parse.ListNode:
		a.list(n, s)
	default:
		a.fail(n, "cannot follow %s", n)
	}
}

// branch analyses if, with and range: the pipeline's truth (for range, its
// length and elements too) and both lists. Variables declared in the
// pipeline live to the branch's end; those declared in a list, to its end.
func (a *analyzer) branch(b *parse.BranchNode, s *scope, setsDot, isRange bool) {
	mark := len(s.vars)
	v := a.pipe(b.Pipe, s)
	a.readTruth(v)
	dot := s.dot
	rounds := 1
	if isRange {
		a.readLength(v)
		elem := a.elem(v, b)
		decl := s.vars[mark:]
		if len(decl) == 2 {
			decl[0].v = value{} // the index or key
		}
		if len(decl) > 0 {
			decl[len(decl)-1].v = elem
		}
		s.dot = elem
		// Twice: a variable assigned late in a loop body is read early in
		// the next round.
		rounds = 2
	} else if setsDot {
		s.dot = v
	}
	inner := len(s.vars)
	for range rounds {
		a.list(b.List, s)
		s.vars = s.vars[:inner]
	}
	s.dot = dot
	a.list(b.ElseList, s)
	s.vars = s.vars[:mark]
}

// pipe evaluates a pipeline: each command receives the last one's result
// as its final argument.
func (a *analyzer) pipe(p *parse.PipeNode, s *scope) value {
	if p == nil {
		return value{}
	}
	var v value
	var piped *value
	for _, c := range p.Cmds {
		v = a.command(c, s, piped)
		piped = &v
	}
	for _, d := range p.Decl {
		name := d.Ident[0]
		if p.IsAssign {
			for i := len(s.vars) - 1; i >= 0; i-- {
				if s.vars[i].name == name {
					s.vars[i].v = union(s.vars[i].v, v)
					break
				}
			}
			continue
		}
		s.vars = append(s.vars, variable{name, v})
	}
	return v
}

func (a *analyzer) command(c *parse.CommandNode, s *scope, piped *value) value {
	first := c.Args[0]
	args := c.Args[1:]
	switch n := first.(type) {
	case *parse.IdentifierNode:
		return a.function(n, args, s, piped)
	case *parse.FieldNode:
		return a.fields(s.dot, n.Ident, args, s, piped, n)
	case *parse.ChainNode:
		return a.fields(a.arg(n.Node, s), n.Field, args, s, piped, n)
	case *parse.VariableNode:
		return a.fields(a.variable(n, s), n.Ident[1:], args, s, piped, n)
	}
	if len(args) > 0 || piped != nil {
		a.fail(first, "cannot give arguments to %s", first)
	}
	return a.arg(first, s)
}

// arg evaluates one operand.
func (a *analyzer) arg(n parse.Node, s *scope) value {
	switch n := n.(type) {
	case *parse.DotNode:
		return s.dot
	case *parse.NilNode, *parse.BoolNode, *parse.NumberNode, *parse.StringNode:
		return value{}
	case *parse.FieldNode:
		return a.fields(s.dot, n.Ident, nil, s, nil, n)
	case *parse.VariableNode:
		return a.fields(a.variable(n, s), n.Ident[1:], nil, s, nil, n)
	case *parse.ChainNode:
		return a.fields(a.arg(n.Node, s), n.Field, nil, s, nil, n)
	case *parse.PipeNode:
		return a.pipe(n, s)
	case *parse.IdentifierNode:
		return a.function(n, nil, s, nil)
	}
	a.fail(n, "cannot follow %s", n)
	return value{}
}

func (a *analyzer) variable(n *parse.VariableNode, s *scope) value {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == n.Ident[0] {
			return s.vars[i].v
		}
	}
	a.fail(n, "undefined variable %s", n.Ident[0])
	return value{}
}

// fields follows .A.B.C from v; the last name receives args (a method call).
func (a *analyzer) fields(v value, names []string, args []parse.Node, s *scope, piped *value, at parse.Node) value {
	for i, name := range names {
		last := i == len(names)-1
		var callArgs []value
		if last {
			for _, x := range args {
				callArgs = append(callArgs, a.arg(x, s))
			}
			if piped != nil {
				callArgs = append(callArgs, *piped)
			}
		}
		v = a.field(v, name, callArgs, at)
	}
	if len(names) == 0 && (len(args) > 0 || piped != nil) {
		a.fail(at, "cannot give arguments to %s", at)
	}
	return v
}

// field is .name of v: a dict entry, a struct field, a map entry or a
// method call with args.
func (a *analyzer) field(v value, name string, args []value, at parse.Node) value {
	var out value
	if v.dict != nil {
		out = union(out, v.dict[name])
	}
	for _, n := range v.nodes {
		if m, ok := reflect.PointerTo(deref(n.typ)).MethodByName(name); ok {
			a.method(n, m, args, at)
			continue
		}
		if len(args) > 0 {
			a.fail(at, "%s of %s is not a method", name, n.typ)
		}
		out.nodes = append(out.nodes, a.fieldNode(n, name, at))
	}
	if len(v.nodes) == 0 && v.dict == nil {
		for _, x := range args {
			a.readValue(x, at)
		}
	}
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// fieldNode is the node of field or map entry name below n.
func (a *analyzer) fieldNode(n *Node, name string, at parse.Node) *Node {
	t := deref(n.typ)
	switch t.Kind() {
	case reflect.Struct:
		f, ok := t.FieldByName(name)
		if !ok || !f.IsExported() {
			a.fail(at, "%s has no field %s", t, name)
		}
		return n.child(step{kind: stepField, index: f.Index, name: name}, f.Type)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			a.fail(at, "cannot follow .%s of %s", name, t)
		}
		return n.child(step{kind: stepKey, name: name}, t.Elem())
	}
	a.fail(at, "cannot follow .%s of %s (known only when executed)", name, n.typ)
	return nil
}

// method records what a method call reads: its declared fields of the
// receiver (or the whole receiver when it can be signed whole) and its
// arguments. Its result is then known from what was read.
func (a *analyzer) method(n *Node, m reflect.Method, args []value, at parse.Node) {
	for _, x := range args {
		a.readValue(x, at)
	}
	t := deref(n.typ)
	key := t.String() + "." + m.Name
	paths, ok := a.decl.Methods[key]
	if !ok {
		if !wholeValue(t) {
			a.fail(at, "method %s does not declare what it reads", key)
		}
		n.value = true
		return
	}
	for _, p := range paths {
		a.readPath(n, p, at)
	}
}

// readPath marks the dotted field path p below n as read whole.
func (a *analyzer) readPath(n *Node, p string, at parse.Node) {
	for _, name := range strings.Split(p, ".") {
		n = a.fieldNode(n, name, at)
	}
	a.readValue(value{nodes: []*Node{n}}, at)
}

func (a *analyzer) readValue(v value, at parse.Node) {
	if v.dict != nil {
		a.fail(at, "shows a dict whole")
	}
	for _, n := range v.nodes {
		if !wholeValue(n.typ) && n.typ.Kind() != reflect.Interface {
			a.fail(at, "shows a %s whole", n.typ)
		}
		n.value = true
	}
}

func (a *analyzer) readTruth(v value) {
	for _, n := range v.nodes {
		n.truth = true
	}
}

func (a *analyzer) readLength(v value) {
	for _, n := range v.nodes {
		n.length = true
	}
}

// elem is the value of every element of v (range, index with a key that
// is not a constant).
func (a *analyzer) elem(v value, at parse.Node) value {
	if v.dict != nil {
		a.fail(at, "ranges over a dict")
	}
	var out value
	for _, n := range v.nodes {
		t := deref(n.typ)
		switch t.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			out.nodes = append(out.nodes, n.child(step{kind: stepElem, name: "[]"}, t.Elem()))
		case reflect.Int, reflect.Int64, reflect.Int32:
			n.value = true // range over an integer: its count
		default:
			a.fail(at, "cannot range over %s", n.typ)
		}
	}
	return out
}

// function evaluates a call of a template function: text/template's
// built-ins, then the declared ones.
func (a *analyzer) function(n *parse.IdentifierNode, argNodes []parse.Node, s *scope, piped *value) value {
	args := make([]value, 0, len(argNodes)+1)
	for _, x := range argNodes {
		args = append(args, a.arg(x, s))
	}
	if piped != nil {
		args = append(args, *piped)
		argNodes = append(argNodes[:len(argNodes):len(argNodes)], nil)
	}
	switch n.Ident {
	case "and", "or": // the result is one of the arguments
		var out value
		for _, x := range args {
			a.readTruth(x)
			out = union(out, x)
		}
		return out
	case "not":
		for _, x := range args {
			a.readTruth(x)
		}
		return value{}
	case "len":
		for _, x := range args {
			a.readLength(x)
		}
		return value{}
	case "index":
		return a.index(args, argNodes, n)
	case "slice":
		if len(args) == 0 {
			a.fail(n, "slice of nothing")
		}
		a.readLength(args[0])
		for _, x := range args[1:] {
			a.readValue(x, n)
		}
		return args[0]
	case "eq", "ne", "lt", "le", "gt", "ge", "print", "printf", "println", "html", "js", "urlquery":
		return a.values(args, n)
	case "call":
		a.fail(n, "call runs a function the analysis cannot see")
	}
	if strings.HasPrefix(n.Ident, "_html_template_") || n.Ident == "_eval_args_" {
		return a.values(args, n) // html/template's escapers
	}
	f, ok := a.decl.Funcs[n.Ident]
	if !ok {
		a.fail(n, "function %s does not declare what it reads", n.Ident)
	}
	switch f.Kind {
	case Fields:
		for _, x := range args {
			a.fieldsOf(x, f, n)
		}
		return value{}
	case Dict:
		return a.dict(args, argNodes, n)
	case Partial:
		name := a.partialName(n, len(args), argNodes, "its data")
		a.call(name, args[1], n)
		return value{}
	case PartialDict:
		name := a.partialName(n, len(args), argNodes, "a count of pairs")
		count, ok := argNodes[1].(*parse.NumberNode)
		if !ok || !count.IsInt || count.Int64 < 0 || 2+2*int(count.Int64) > len(args) {
			a.fail(n, "%s needs a constant count of the pairs that follow it", n.Ident)
		}
		end := 2 + 2*int(count.Int64)
		a.call(name, a.dict(args[2:end], argNodes[2:end], n), n)
		return value{}
	}
	return a.values(args, n)
}

func (a *analyzer) values(args []value, at parse.Node) value {
	for _, x := range args {
		a.readValue(x, at)
	}
	return value{}
}

// fieldsOf reads an argument of a Fields function: the declared fields of
// its type, or the whole value.
func (a *analyzer) fieldsOf(x value, f Func, at parse.Node) {
	if x.dict != nil {
		a.fail(at, "a dict is not a link target")
	}
	for _, n := range x.nodes {
		paths, ok := f.Fields[n.typ]
		if !ok {
			a.readValue(value{nodes: []*Node{n}}, at)
			continue
		}
		for _, p := range paths {
			a.readPath(n, p, at)
		}
	}
}

// index follows index x k1 k2…: a constant string key is one map entry (or
// dict entry); any other key reads every element.
func (a *analyzer) index(args []value, argNodes []parse.Node, at parse.Node) value {
	if len(args) == 0 {
		a.fail(at, "index of nothing")
	}
	v := args[0]
	for i := 1; i < len(args); i++ {
		if k, ok := argNodes[i].(*parse.StringNode); ok {
			v = a.key(v, k.Text, at)
			continue
		}
		a.readValue(args[i], at)
		v = a.elem(v, at)
	}
	return v
}

func (a *analyzer) key(v value, k string, at parse.Node) value {
	var out value
	if v.dict != nil {
		out = union(out, v.dict[k])
	}
	for _, n := range v.nodes {
		if deref(n.typ).Kind() != reflect.Map {
			out = union(out, a.elem(value{nodes: []*Node{n}}, at))
			continue
		}
		out.nodes = append(out.nodes, a.fieldNode(n, k, at))
	}
	return out
}

// dict builds the abstract map of dict "k1" v1 "k2" v2….
func (a *analyzer) dict(args []value, argNodes []parse.Node, at parse.Node) value {
	if len(args)%2 != 0 {
		a.fail(at, "dict needs key and value pairs")
	}
	out := value{dict: map[string]value{}}
	for i := 0; i < len(args); i += 2 {
		k, ok := argNodes[i].(*parse.StringNode)
		if !ok {
			a.fail(at, "dict keys must be constant strings")
		}
		out.dict[k.Text] = args[i+1]
	}
	return out
}

// Declared returns the plan of reads declared as dotted paths below a
// value of type root, each read whole at its end: a step "[]" is every
// element of a slice, array or map ("Dossier.ActorList[].Name"). It is
// for code that reads the data as a template would but is not one (what
// a page's Prepare makes from it): a path through a pointer below the
// root is signed once per build, like a template's. An error names the
// first path that does not follow root's fields or ends on what cannot
// be signed whole.
func Declared(root reflect.Type, paths []string) (plan *Plan, err error) {
	a := &analyzer{done: map[string]bool{}}
	top := newNode(root, step{})
	var at string
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(failure)
			if !ok {
				panic(r)
			}
			plan, err = nil, fmt.Errorf("reads: %s of %s: %s", at, root, f.what)
		}
	}()
	for _, at = range paths {
		a.declared(top, at)
	}
	return &Plan{root: freeze(top, map[string]*Node{}), fresh: true}, nil
}

// declared marks the dotted path p below top as read whole (Declared).
func (a *analyzer) declared(top *Node, p string) {
	n := top
	for _, name := range strings.Split(p, ".") {
		elems := 0
		for strings.HasSuffix(name, "[]") {
			name, elems = strings.TrimSuffix(name, "[]"), elems+1
		}
		if name != "" {
			n = a.fieldNode(n, name, nil)
		}
		for ; elems > 0; elems-- {
			switch t := deref(n.typ); t.Kind() {
			case reflect.Slice, reflect.Array, reflect.Map:
				n = n.child(step{kind: stepElem, name: "[]"}, t.Elem())
			default:
				a.fail(nil, "cannot range over %s", n.typ)
			}
		}
	}
	if !wholeValue(n.typ) && n.typ.Kind() != reflect.Interface {
		a.fail(nil, "cannot sign a %s whole", n.typ)
	}
	n.value = true
}
