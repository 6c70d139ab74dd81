#!/usr/bin/python3
"""Differential test of endpointctl's JMESPath engine against python3-jmespath.

az runs python3-jmespath for --query, so the reference is that implementation (Debian's
python3-jmespath, imported by /usr/bin/python3). A seeded generator writes a corpus of
expressions (every grammar production, every built-in function, with type and arity errors,
plus mutated texts for syntax errors) and JSON documents; each (expression, document) pair is
evaluated by both, and the test asserts the same JSON text (integers and floats as python
prints them, members in the same order) or the same error kind (and, for syntax errors, the
same column).

The reference is the library as installed, with these corrections where it contradicts the
specification (each is counted and printed, so their effect is visible):
  * errors a query has without data (unknown function, wrong argument count, slice step 0)
    are reported when compiling, whatever the data; the reference reports them only if the
    call is reached;
  * true/false equal only themselves, also inside arrays and objects (python: [true] == [1]);
  * contains() of a string and a non-string is false (python raises TypeError);
  * ordering a string against a number is null (python raises TypeError); two strings are
    ordered by code point, as python (and so az) does, although the specification orders
    only numbers;
  * max_by/min_by keys must all be numbers or all strings (python raises TypeError);
  * merge() checks every argument, and 'any' arguments refuse &expressions (python checks
    the first argument only, and lets expressions through);
  * to_number() of 'inf' or 'nan' is null (python returns a float that is not JSON);
  * a result holding an &expression is an invalid-type error (python returns an object that
    json.dumps cannot write).

With --spec-examples FILE it instead checks the specification's examples (written out by
hand in FILE) against the engine, and reports where the reference disagrees with them.
"""

import argparse
import json
import math
import random
import subprocess
import sys
import warnings

try:
    import jmespath
    from jmespath import exceptions, functions, visitor
    from jmespath.lexer import Lexer
except ImportError:
    print('python3-jmespath is missing: run scripts/install-deps.sh --test '
          '(or apt-get install python3-jmespath)', file=sys.stderr)
    sys.exit(1)

warnings.simplefilter('ignore')  # the deprecated `foo` literal form warns on every use

SEED = 20240612
EXPRESSIONS = 4000
DOCUMENTS_PER_EXPRESSION = 2


# --- the reference ------------------------------------------------------------------------

def strict_equals(x, y):
    if isinstance(x, bool) or isinstance(y, bool):
        return isinstance(x, bool) and isinstance(y, bool) and x == y
    if isinstance(x, list):
        return (isinstance(y, list) and len(x) == len(y)
                and all(strict_equals(a, b) for a, b in zip(x, y)))
    if isinstance(x, dict):
        return (isinstance(y, dict) and x.keys() == y.keys()
                and all(strict_equals(v, y[k]) for k, v in x.items()))
    if isinstance(x, (int, float)):
        return isinstance(y, (int, float)) and x == y
    return type(x) is type(y) and x == y


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


class SpecInterpreter(visitor.TreeInterpreter):
    def visit_comparator(self, node, value):
        left = self.visit(node['children'][0], value)
        right = self.visit(node['children'][1], value)
        op = node['value']
        if op == 'eq':
            return strict_equals(left, right)
        if op == 'ne':
            return not strict_equals(left, right)
        if not ((is_number(left) and is_number(right))
                or (isinstance(left, str) and isinstance(right, str))):
            return None
        return self.COMPARATOR_FUNC[op](left, right)


class SpecFunctions(functions.Functions):
    def _type_check(self, actual, signature, function_name):
        for i, arg in enumerate(actual):
            types = signature[min(i, len(signature) - 1)]['types']
            if types:
                self._type_check_single(arg, types, function_name)
            elif isinstance(arg, visitor._Expression):
                raise exceptions.JMESPathTypeError(function_name, arg, 'expref', ['any'])

    @functions.signature({'types': ['array', 'string']}, {'types': []})
    def _func_contains(self, subject, search):
        if isinstance(subject, str):
            return isinstance(search, str) and search in subject
        return any(strict_equals(element, search) for element in subject)

    @functions.signature({'types': []})
    def _func_to_number(self, arg):
        result = super()._func_to_number(arg)
        if isinstance(result, float) and not math.isfinite(result):
            return None
        return result

    def _same_kind_keys(self, array, expref, name):
        keys = []
        kind = None
        for element in array:
            key = expref.visit(expref.expression, element)
            key_kind = 'number' if is_number(key) else 'string' if isinstance(key, str) else None
            if kind is None:
                kind = key_kind
            if key_kind is None or key_kind != kind:
                raise exceptions.JMESPathTypeError(name, key, type(key).__name__,
                                                   ['number', 'string'])
            keys.append(key)
        return keys

    @functions.signature({'types': ['array']}, {'types': ['expref']})
    def _func_max_by(self, array, expref):
        if not array:
            return None
        keys = self._same_kind_keys(array, expref, 'max_by')
        best = 0
        for i in range(1, len(array)):
            if keys[i] > keys[best]:
                best = i
        return array[best]

    @functions.signature({'types': ['array']}, {'types': ['expref']})
    def _func_min_by(self, array, expref):
        if not array:
            return None
        keys = self._same_kind_keys(array, expref, 'min_by')
        best = 0
        for i in range(1, len(array)):
            if keys[i] < keys[best]:
                best = i
        return array[best]


STOCK_FUNCTIONS = functions.Functions()
SPEC_FUNCTIONS = SpecFunctions()


def static_error(node):
    """The first error the tree has without data, in evaluation order (node, then children)."""
    if node['type'] == 'function_expression':
        spec = functions.Functions.FUNCTION_TABLE.get(node['value'])
        if spec is None:
            return 'unknown-function'
        signature = spec['signature']
        count = len(node['children'])
        variadic = signature and signature[-1].get('variadic')
        if (count < len(signature)) if variadic else (count != len(signature)):
            return 'invalid-arity'
    if node['type'] == 'slice' and node['children'][2] == 0:
        return 'invalid-value'
    for child in node.get('children', []):
        if isinstance(child, dict):
            found = static_error(child)
            if found:
                return found
    return None


def holds_expression(value):
    if isinstance(value, visitor._Expression):
        return True
    if isinstance(value, list):
        return any(holds_expression(v) for v in value)
    if isinstance(value, dict):
        return any(holds_expression(v) for v in value.values())
    return False


def dump(value):
    return json.dumps(value, separators=(',', ':'))


def reference(expression, document, stock=False):
    """('ok', text) | ('error', kind, column or None) | ('crash', description)."""
    try:
        parsed = jmespath.compile(expression)
    except exceptions.EmptyExpressionError:
        return ('error', 'syntax', 1)
    except exceptions.ParseError as error:
        column = error.lex_position + 1
        if 'Quoted identifier not allowed' in str(getattr(error, 'msg', '')):
            column = None  # the reference reports column 0 for this one
        return ('error', 'syntax', column)
    found = None if stock else static_error(parsed.parsed)
    if found:
        return ('error', found, None)
    if stock:
        interpreter = visitor.TreeInterpreter(visitor.Options(custom_functions=STOCK_FUNCTIONS))
    else:
        interpreter = SpecInterpreter(visitor.Options(custom_functions=SPEC_FUNCTIONS))
    try:
        result = interpreter.visit(parsed.parsed, document)
    except exceptions.JMESPathTypeError:
        return ('error', 'invalid-type', None)
    except exceptions.ArityError:
        return ('error', 'invalid-arity', None)
    except exceptions.UnknownFunctionError:
        return ('error', 'unknown-function', None)
    except Exception as error:  # noqa: BLE001 - the reference's own failures are counted
        return ('crash', '%s: %s' % (type(error).__name__, error))
    if holds_expression(result) and not stock:
        return ('error', 'invalid-type', None)
    try:
        return ('ok', dump(result))
    except (TypeError, ValueError) as error:
        return ('crash', '%s: %s' % (type(error).__name__, error))


# --- the engine ---------------------------------------------------------------------------

def run_engine(engine, cases):
    lines = ''.join(dump([expression, document]) + '\n' for expression, document in cases)
    done = subprocess.run([engine], input=lines.encode('ascii'), stdout=subprocess.PIPE,
                          check=True, timeout=240)
    answers = [json.loads(line) for line in done.stdout.decode('ascii').splitlines()]
    if len(answers) != len(cases):
        sys.exit('engine answered %d of %d cases' % (len(answers), len(cases)))
    results = []
    for answer in answers:
        if answer[0] == 'ok':
            results.append(('ok', answer[1]))
        elif answer[0] == 'error':
            results.append(('error', answer[1], answer[2] or None, answer[3]))
        else:
            sys.exit('engine could not read a case: %r' % (answer,))
    return results


def agree(expected, actual):
    if expected[0] == 'ok':
        return actual[0] == 'ok' and actual[1] == expected[1]
    if expected[0] == 'error':
        if actual[0] != 'error' or actual[1] != expected[1]:
            return False
        return expected[2] is None or actual[2] == expected[2]
    return True  # the reference crashed: counted apart


# --- the corpus ---------------------------------------------------------------------------

KEYS = ['a', 'b', 'c', 'foo', 'bar', 'baz', 'name', 'state', 'tags', 'n', 's', 'x', 'items',
        'with space', 'dash-key', 'quote"d', 'ünï', '0']
UNQUOTED_KEYS = [k for k in KEYS if k.replace('_', 'a').isascii() and k.replace('_', 'a').isalnum()
                 and not k[0].isdigit()]
STRINGS = ['', 'a', 'b', 'ab', 'abc', 'foo', 'bar', 'Blue', 'blue', 'green', 'ep-one',
           'Succeeded', 'Failed', 'é', 'Ünïcödé', '日本語', '\U0001F600x', 'x\U0001F600',
           '10', '-3', '1.5', ' 7 ', '1e3', '1_000', 'inf', 'nan', '0x10', 'a\nb', 'tab\t',
           'quote"', 'back\\slash', '\u007f', '2024-01-31T10:00:00Z', 'true', 'null',
           'tick`s', '\uff21\uff22', '\ue000']
NUMBERS = [0, 1, 2, 3, -1, -7, 10, 42, 100, 255, -0.0, 0.5, 1.0, 2.0, -1.25, 3.14159, 1e-05,
           0.0001, 1e16, 1e15, 123456789.125, 2.5e-7, 9007199254740993, -12.5, 1e100]


class Corpus:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def pick(self, items):
        return self.rng.choice(items)

    def chance(self, p):
        return self.rng.random() < p

    # documents

    def scalar(self):
        kind = self.rng.randrange(6)
        if kind == 0:
            return None
        if kind == 1:
            return self.chance(0.5)
        if kind in (2, 3):
            return self.pick(NUMBERS)
        return self.pick(STRINGS)

    def value(self, depth):
        if depth <= 0 or self.chance(0.45):
            return self.scalar()
        if self.chance(0.5):
            return [self.value(depth - 1) for _ in range(self.rng.randrange(5))]
        return self.obj(depth - 1)

    def obj(self, depth):
        keys = self.rng.sample(KEYS, self.rng.randrange(5))
        return {k: self.value(depth) for k in keys}

    def numbers(self):
        return [self.pick(NUMBERS[:17]) for _ in range(self.rng.randrange(6))]

    def strings(self):
        return [self.pick(STRINGS) for _ in range(self.rng.randrange(6))]

    def person(self):
        return {'name': self.pick(STRINGS[:14]), 'age': self.pick([3, 10, 20, 20, 35, 40.5, 61]),
                'active': self.chance(0.5),
                'tags': {k: self.pick(STRINGS[:10]) for k in self.rng.sample(KEYS[:6], 2)},
                'scores': self.numbers()}

    def document(self):
        shape = self.rng.randrange(10)
        if shape == 0:
            return self.value(3)
        if shape == 1:
            return [self.person() for _ in range(self.rng.randrange(5))]
        doc = self.obj(3)
        doc.update({'nums': self.numbers(), 'strs': self.strings(),
                    'people': [self.person() for _ in range(self.rng.randrange(5))],
                    'nested': [[self.scalar() for _ in range(self.rng.randrange(3))]
                               for _ in range(self.rng.randrange(4))],
                    'obj': self.obj(2), 's': self.pick(STRINGS), 'n': self.pick(NUMBERS),
                    'empty': [], 'nil': None, 't': True, 'f': False})
        items = list(doc.items())
        self.rng.shuffle(items)  # member order is part of what is compared
        return dict(items)

    # expressions

    def name(self):
        if self.chance(0.75):
            return self.pick(UNQUOTED_KEYS + ['nums', 'strs', 'people', 'nested', 'obj', 'age',
                                              'active', 'scores', 'empty', 'nil', 't', 'f',
                                              'missing', '_x1'])
        key = self.pick(KEYS + ['a'])
        text = json.dumps(key, ensure_ascii=self.chance(0.5))
        if key == 'a' and self.chance(0.5):
            text = '"\\u0061"'
        return text

    def literal(self):
        kind = self.rng.randrange(10)
        if kind < 3:
            value = self.value(2)
            text = json.dumps(value, ensure_ascii=self.chance(0.7))
            if self.chance(0.2):
                text = ' ' + text + ' '
            return '`' + text.replace('`', '\\`') + '`'
        if kind < 5:
            return '`' + json.dumps(self.pick(NUMBERS)) + '`'
        if kind == 5:
            return '`' + self.pick(['foo', 'a b', ' lead', 'x\\ty', '01', '1.', '']) + '`'
        text = self.pick(STRINGS[:20] + ["it\\'s", 'back\\\\', 'u\\u00e9', '[x]', ' pad '])
        text = text.replace('\n', ' ').replace("'", "\\'") if "\\'" not in text else text
        return "'" + text + "'"

    def number_arg(self):
        return self.pick(['n', 'age', 'nums[0]', '`%s`' % json.dumps(self.pick(NUMBERS[:16])),
                          'length(strs)', 'sum(nums)', 'people[0].age', '`-3`'])

    def string_arg(self):
        return self.pick(['s', 'name', 'strs[0]', "'b'", "'a'", "'é'", "''", 'people[0].name',
                          '`"ab"`', 'to_string(n)', 'join(\',\', strs)'])

    def array_arg(self):
        return self.pick(['nums', 'strs', 'people', 'nested', 'empty', '@', 'people[*].name',
                          'nums[::-1]', '`[1, 2.0, 3]`', 'nested[]', 'items'])

    def expref(self, depth):
        return '&' + self.pick(['age', 'name', 'scores[0]', 'to_string(age)', 'length(name)',
                                '@', 'tags.a', 'active', self.expression(depth - 1)])

    ARGS = {
        'abs': ['number'], 'avg': ['numbers'], 'ceil': ['number'], 'floor': ['number'],
        'contains': ['arrstr', 'any'], 'ends_with': ['string', 'string'],
        'starts_with': ['string', 'string'], 'join': ['string', 'strings'], 'keys': ['object'],
        'values': ['object'], 'length': ['arrstrobj'], 'map': ['expref', 'array'],
        'max': ['numbers|strings'], 'min': ['numbers|strings'], 'max_by': ['array', 'expref'],
        'min_by': ['array', 'expref'], 'sort_by': ['array', 'expref'],
        'sort': ['numbers|strings'], 'merge': ['object+'], 'not_null': ['any+'],
        'reverse': ['arrstr'], 'sum': ['numbers'], 'to_array': ['any'], 'to_string': ['any'],
        'to_number': ['any'], 'type': ['any'],
    }

    def argument(self, kind, depth):
        if kind == 'number':
            return self.number_arg()
        if kind == 'string':
            return self.string_arg()
        if kind == 'numbers':
            return self.pick(['nums', 'people[*].age', '`[1, 2.5, -3]`', 'empty', 'scores',
                              'nums[?@ > `1`]'])
        if kind == 'strings':
            return self.pick(['strs', 'people[*].name', 'keys(obj)', '`["a", "b"]`', 'empty'])
        if kind == 'numbers|strings':
            return self.pick(['nums', 'strs', 'people[*].age', 'people[*].name', 'empty',
                              'keys(@)'])
        if kind == 'object':
            return self.pick(['obj', '@', 'people[0]', 'tags', '`{"a": 1, "z": 2}`',
                              '{k: n, a: s}'])
        if kind == 'object+':
            return ', '.join(self.argument('object', depth)
                             for _ in range(1 + self.rng.randrange(3)))
        if kind == 'array':
            return self.array_arg()
        if kind == 'arrstr':
            return self.pick([self.array_arg(), self.string_arg()])
        if kind == 'arrstrobj':
            return self.pick([self.array_arg(), self.string_arg(), 'obj', '@'])
        if kind == 'expref':
            return self.expref(depth)
        if kind == 'any+':
            return ', '.join(self.expression(depth - 1) for _ in range(1 + self.rng.randrange(3)))
        return self.expression(depth - 1)

    def call(self, depth):
        name = self.pick(sorted(self.ARGS))
        kinds = self.ARGS[name]
        roll = self.rng.random()
        if roll < 0.6:
            args = [self.argument(kind, depth) for kind in kinds]
        elif roll < 0.9:  # anything: type errors (and some lucky matches)
            args = [self.expression(depth - 1) if self.chance(0.7) else self.expref(depth)
                    for _ in kinds]
        elif roll < 0.96:  # the wrong number of arguments
            args = [self.expression(depth - 1) for _ in range(self.pick([0, 1, 2, 3]))]
        else:
            name = self.pick(['lenght', 'foo', 'sum_by', 'to_bool', 'Length', 'group_by'])
            args = [self.expression(depth - 1)]
        return '%s(%s)' % (name, ', '.join(args))

    def condition(self, depth):
        roll = self.rng.randrange(9)
        if roll < 3:
            op = self.pick(['==', '!=', '<', '<=', '>', '>='])
            return '%s %s %s' % (self.operand(depth), op, self.operand(depth))
        if roll == 3:
            return '%s && %s' % (self.condition(depth - 1), self.condition(depth - 1))
        if roll == 4:
            return '%s || %s' % (self.condition(depth - 1), self.condition(depth - 1))
        if roll == 5:
            return '!' + self.pick([self.operand(depth), '(%s)' % self.condition(depth - 1)])
        if roll == 6:
            return self.pick(["contains(name, 'e')", "starts_with(@.name, 'B')",
                              "contains(tags.*, 'blue')", 'ends_with(s, name)',
                              "contains(@, `1`)", 'length(@) > `1`', 'type(@) == \'number\''])
        return self.operand(depth)

    def operand(self, depth):
        if self.chance(0.4):
            return self.literal()
        if self.chance(0.1):
            return '@'
        return self.expression(max(0, depth - 2))

    def expression(self, depth):
        if depth <= 0:
            return self.pick([self.name(), self.name(), '@', self.literal()])
        roll = self.rng.randrange(24)
        e = lambda: self.expression(depth - 1)  # noqa: E731
        if roll == 0:
            return self.name()
        if roll == 1:
            return '%s.%s' % (e(), self.name())
        if roll == 2:
            return '%s.%s' % (e(), self.pick(['[%s, %s]' % (e(), e()), '{k: %s}' % e(),
                                              '*', self.call(depth - 1)]))
        if roll == 3:
            return '%s[%d]' % (e(), self.rng.randint(-4, 4))
        if roll == 4:
            parts = [self.pick(['', str(self.rng.randint(-5, 5))]) for _ in range(2)]
            text = '%s[%s:%s' % (e(), parts[0], parts[1])
            if self.chance(0.6):
                text += ':' + self.pick(['', '1', '2', '-1', '-2', '3', '0' if self.chance(0.3)
                                         else '1'])
            return text + ']'
        if roll == 5:
            return '%s[*]%s' % (e(), self.tail(depth))
        if roll == 6:
            return '%s.*%s' % (e(), self.tail(depth))
        if roll == 7:
            return '%s[]%s' % (e(), self.tail(depth))
        if roll == 8:
            return '%s[?%s]%s' % (e(), self.condition(depth - 1), self.tail(depth))
        if roll == 9:
            return '%s | %s' % (e(), e())
        if roll == 10:
            return '[%s]' % ', '.join(e() for _ in range(1 + self.rng.randrange(3)))
        if roll == 11:
            pairs = ['%s: %s' % (self.pick(UNQUOTED_KEYS + ['"k y"', 'a', 'a']), e())
                     for _ in range(1 + self.rng.randrange(3))]
            return '{%s}' % ', '.join(pairs)
        if roll == 12:
            return self.literal()
        if roll in (13, 14, 15, 16):
            return self.call(depth)
        if roll == 17:
            return '%s || %s' % (e(), e())
        if roll == 18:
            return '%s && %s' % (e(), e())
        if roll == 19:
            return '!' + e()
        if roll == 20:
            return '(%s)' % e()
        if roll == 21:
            return self.condition(depth)
        if roll == 22:
            return self.pick(['@', '@.%s' % self.name(), '[%s][0]' % e(), '%s[0][1:3]' % e(),
                              '*', '[*]', '[]', '`[]`[]'])
        return '%s.%s' % (self.pick(['people[*]', 'people[]', 'obj.*', 'nested[]', '@']),
                          self.pick(['name', 'age', 'tags.*', 'scores[-1]', '[name, age]',
                                     '{n: name, t: tags}', 'length(@)']))

    def tail(self, depth):
        if self.chance(0.4):
            return ''
        return self.pick(['.%s' % self.name(), '[0]', '[*].%s' % self.name(), '[]',
                          '.[%s, %s]' % (self.name(), self.name()), '.%s' % self.call(depth - 1),
                          '[?%s]' % self.condition(depth - 1), ' | [0]', '.*'])

    def mutate(self, text):
        """A text that is probably not a query: a character deleted, added, or swapped."""
        if not text:
            return text
        i = self.rng.randrange(len(text) + 1)
        roll = self.rng.randrange(4)
        special = list('[]{}().,:|&!=<>?*@\'"`-0a ') + ['==', '||', '&&', '[?', '[]']
        if roll == 0 and i < len(text):
            return text[:i] + text[i + 1:]
        if roll == 1:
            return text[:i] + self.pick(special) + text[i:]
        if roll == 2 and i < len(text):
            return text[:i] + self.pick(special) + text[i + 1:]
        return text[:i]

    def expressions(self, count):
        fixed = [
            # What az scripts write.
            'length(@)', "[?contains(name, 'blue')]", '[0:2]', '[].name', '[].{Name:name}',
            "[?provisioning_state=='Failed'].name | [0]", 'sort_by(@, &name)[].name',
            "[?starts_with(name, 'ep')] | length(@)", 'max_by(people, &age).name',
            "join(', ', people[].name)", 'keys(obj)', 'values(@)', 'to_string(n)',
            "[?created_on > '2024-01-01']", 'people[?age > `20`].name | sort(@)',
            # Corners of the grammar and of the reference's parser.
            '', ' ', 'foo.', '.foo', 'foo..bar', 'foo[', 'foo]', 'a{', '[?]', '"foo"(@)',
            'a[0](@)', '@(a)', 'foo[1 2]', 'length(a b)', 'length(a,)', '{a: b c: d}', '-',
            'a = b', '`{"a": `', "'unclosed", '"unclosed', '[::0]', 'a[:2:0]', 'foo[-]',
            '*', '*.*', '[*.*]', '*[]||[*]', '*||*|*|*', '`[]`[]', '!`0`', '!`""`',
            "'\\\\'", "'a\\'b'", '``', '`foo`', '`  foo `', '`01`', '`NaN`', '&a', '[&a]',
            'to_string(`1e16`)', 'to_string(`[1.0, 1e-05, -0.0]`)', 'avg(`[1, 2]`)',
            'sum(`[1, 2.5]`)', 'ceil(`1.5`)', 'floor(`-1.5`)', 'abs(`-3`)',
            "to_number('1_000')", "to_number(' 12 ')", "to_number('1e3')", "to_number('inf')",
            "contains('abc', `1`)", '`[true]` == `[1]`', "'a' < `1`", "'a' < 'b'",
            'max_by(`[{"k": 1}, {"k": "a"}]`, &k)', 'merge(`{}`, `1`)', 'not_null(&a)',
            'type(&a)', 'a[0][1:3]', 'a[0:3][1:2]', 'nested[0][0:2].a',
            'reverse(\'ab\U0001F600\')', 'length(\'\U0001F600\')', "sort(['b', 'é', 'a'])",
            'ceil(`1e100`)', 'abs(`-9223372036854775808`)', 'sum(`[9223372036854775807, 1]`)',
            '`NaN` < `1`', '`1` >= `NaN`', 'max(`[1, NaN]`)', '`{"a": 1, "b": 2, "a": 3}`',
            'keys(`{"b": 1, "a": 2, "b": 3}`)', '{b: `1`, a: `2`, b: `3`}',
            'merge(`{"b": 1, "a": 2}`, `{"c": 3, "b": 4}`)', 'traffic.my-dep',
            '\tfoo\n.\r\nbar ', 'foo[?a==`1`]\n|\tlength(@)',
        ]
        out = list(fixed)
        while len(out) < count:
            text = self.expression(self.rng.randint(1, 4))
            if self.chance(0.05):  # the other whitespace the grammar allows
                text = text.replace(' ', self.pick(['\t', '\n', '\r\n', '  ']))
            if self.chance(0.15):
                text = self.mutate(text)
            if len(text) < 300:
                out.append(text)
        return out


# --- coverage -----------------------------------------------------------------------------

def ast_nodes(node, out):
    out.append(node)
    for child in node.get('children', []):
        if isinstance(child, dict):
            ast_nodes(child, out)


def coverage(expressions):
    node_types, comparators, function_names, token_types = {}, {}, {}, {}
    for expression in expressions:
        try:
            for token in Lexer().tokenize(expression):
                token_types[token['type']] = token_types.get(token['type'], 0) + 1
            parsed = jmespath.compile(expression).parsed
        except exceptions.JMESPathError:
            continue
        nodes = []
        ast_nodes(parsed, nodes)
        for node in nodes:
            node_types[node['type']] = node_types.get(node['type'], 0) + 1
            if node['type'] == 'comparator':
                comparators[node['value']] = comparators.get(node['value'], 0) + 1
            if node['type'] == 'function_expression':
                function_names[node['value']] = function_names.get(node['value'], 0) + 1
    return node_types, comparators, function_names, token_types


# --- the runs -----------------------------------------------------------------------------

def differential(engine, seed, count):
    corpus = Corpus(seed)
    documents = [corpus.document() for _ in range(60)]
    expressions = corpus.expressions(count)
    cases = []
    for expression in expressions:
        for document in corpus.rng.sample(documents, DOCUMENTS_PER_EXPRESSION):
            cases.append((expression, document))

    expected = [reference(expression, document) for expression, document in cases]
    stock = [reference(expression, document, stock=True) for expression, document in cases]
    actual = run_engine(engine, cases)

    mismatches = []
    kinds = {}
    crashes = []
    per_function = {}
    corrected = {}
    for (expression, document), want, got, plain in zip(cases, expected, actual, stock):
        outcome = want[0] if want[0] != 'error' else want[1]
        kinds[outcome] = kinds.get(outcome, 0) + 1
        if want[0] == 'crash':
            crashes.append((expression, want[1], got))
        elif not agree(want, got):
            mismatches.append((expression, document, want, got))
        if plain != want:
            def outcome_name(result):
                if result[0] == 'crash':
                    return 'crash (%s)' % result[1].split(':')[0]
                return result[0] if result[0] == 'ok' else result[1]
            change = '%s -> %s' % (outcome_name(plain), outcome_name(want))
            corrected.setdefault(change, []).append(expression)
        try:
            nodes = []
            ast_nodes(jmespath.compile(expression).parsed, nodes)
        except exceptions.JMESPathError:
            continue
        for node in nodes:
            if node['type'] == 'function_expression':
                tally = per_function.setdefault(node['value'], {'ok': 0, 'error': 0})
                tally['ok' if want[0] == 'ok' else 'error'] += 1

    node_types, comparators, function_names, token_types = coverage(expressions)
    print('corpus: %d expressions (seed %d) x %d documents each = %d cases'
          % (len(expressions), seed, DOCUMENTS_PER_EXPRESSION, len(cases)))
    print('reference: python3-jmespath %s (%s)' % (jmespath.__version__, jmespath.__file__))
    print('outcomes: ' + ', '.join('%s %d' % item for item in sorted(kinds.items())))
    print('syntax tree nodes: ' + ', '.join('%s %d' % item for item in sorted(node_types.items())))
    print('comparators: ' + ', '.join('%s %d' % item for item in sorted(comparators.items())))
    print('tokens: ' + ', '.join('%s %d' % item for item in sorted(token_types.items())))
    print('functions (cases with a result / with an error):')
    for name in sorted(functions.Functions.FUNCTION_TABLE):
        tally = per_function.get(name, {'ok': 0, 'error': 0})
        print('  %-12s %5d / %d' % (name, tally['ok'], tally['error']))
    print('cases where the corrections changed the reference\'s answer: %d'
          % sum(len(v) for v in corrected.values()))
    for change, changed in sorted(corrected.items()):
        print('  %-40s %4d  e.g. %r' % (change, len(changed), changed[0]))
    print('cases where the reference itself failed (not compared): %d' % len(crashes))
    for expression, what, got in crashes[:5]:
        print('  %r: reference %s; engine %r' % (expression, what, got))

    problems = []
    wanted_nodes = ['and_expression', 'comparator', 'current', 'expref', 'field', 'filter_projection',
                    'flatten', 'function_expression', 'identity', 'index', 'index_expression',
                    'key_val_pair', 'literal', 'multi_select_dict', 'multi_select_list',
                    'not_expression', 'or_expression', 'pipe', 'projection', 'slice',
                    'subexpression', 'value_projection']
    for node in wanted_nodes:
        if node_types.get(node, 0) < 20:
            problems.append('grammar production %s appears %d times (< 20)'
                            % (node, node_types.get(node, 0)))
    for op in ['eq', 'ne', 'lt', 'lte', 'gt', 'gte']:
        if comparators.get(op, 0) < 20:
            problems.append('comparator %s appears %d times (< 20)' % (op, comparators.get(op, 0)))
    for name in functions.Functions.FUNCTION_TABLE:
        tally = per_function.get(name, {'ok': 0, 'error': 0})
        if tally['ok'] < 10 or tally['error'] < 3:
            problems.append('function %s: %d results, %d errors (want >= 10 and >= 3)'
                            % (name, tally['ok'], tally['error']))
    for kind in ['ok', 'syntax', 'invalid-type', 'invalid-arity', 'unknown-function',
                 'invalid-value']:
        if kinds.get(kind, 0) < 5:
            problems.append('outcome %s seen %d times (< 5)' % (kind, kinds.get(kind, 0)))

    print('mismatches: %d' % len(mismatches))
    for expression, document, want, got in mismatches[:25]:
        print('  expression: %r\n  document:   %s\n  reference:  %r\n  engine:     %r\n'
              % (expression, dump(document)[:300], want, got))
    for problem in problems:
        print('coverage: ' + problem)
    return 1 if mismatches or problems else 0


def same_value(a, b):
    """JSON values equal as the specification means it: 15 == 15.0, true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) or is_number(b):
        return is_number(a) and is_number(b) and a == b
    if isinstance(a, list):
        return (isinstance(b, list) and len(a) == len(b)
                and all(same_value(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(same_value(a[k], b[k]) for k in a))
    return a == b


def spec_examples(engine, path):
    with open(path, encoding='utf-8') as handle:
        groups = json.load(handle)
    cases, wanted = [], []
    for group in groups:
        for case in group['cases']:
            cases.append((case['expression'], case.get('given', group.get('given'))))
            wanted.append(case)
    actual = run_engine(engine, cases)
    failures, reference_differs = [], []
    for (expression, document), want, got in zip(cases, wanted, actual):
        if 'error' in want:
            ok = got[0] == 'error' and got[1] == want['error']
        else:
            ok = got[0] == 'ok' and same_value(json.loads(got[1]), want['result'])
        if not ok:
            failures.append((expression, document, want, got))
        ref = reference(expression, document)
        if 'error' in want:
            ref_ok = ref[0] == 'error' and ref[1] == want['error']
        else:
            ref_ok = ref[0] == 'ok' and same_value(json.loads(ref[1]), want['result'])
        if not ref_ok:
            reference_differs.append((expression, want, ref))
    print('specification examples: %d, engine agrees with %d'
          % (len(cases), len(cases) - len(failures)))
    print('python3-jmespath (with the corrections above) agrees with %d'
          % (len(cases) - len(reference_differs)))
    for expression, want, ref in reference_differs:
        print('  reference differs on %r: wanted %r, reference %r' % (expression, want, ref))
    for expression, document, want, got in failures:
        print('FAIL %r on %s: wanted %r, engine %r' % (expression, dump(document), want, got))
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--engine', required=True, help='the jmespath_eval program')
    parser.add_argument('--spec-examples', help='check the specification examples in FILE')
    parser.add_argument('--seed', type=int, default=SEED,
                        help='another corpus, to explore (CTest runs the default)')
    parser.add_argument('--expressions', type=int, default=EXPRESSIONS)
    args = parser.parse_args()
    if args.spec_examples:
        return spec_examples(args.engine, args.spec_examples)
    return differential(args.engine, args.seed, args.expressions)


if __name__ == '__main__':
    sys.exit(main())
