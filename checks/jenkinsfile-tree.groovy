// Prints a Jenkinsfile's method calls as a JSON tree, parsed by Groovy itself (checks/jenkinsfile.ts reads it):
// { "script": [calls of the script body], "methods": { name: [calls of that method] } }, each call
// { "method", "args": [literal values; closures as {"closure": true}; other expressions as {"expression"}],
//   "calls": [calls nested in its arguments and closures] }.
import groovy.json.JsonOutput
import org.codehaus.groovy.ast.CodeVisitorSupport
import org.codehaus.groovy.ast.expr.*
import org.codehaus.groovy.ast.stmt.Statement
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases

class CallTree extends CodeVisitorSupport {
  List<Map> root = []
  private List<List<Map>> stack = [root]

  void visitMethodCallExpression(MethodCallExpression call) {
    Map node = [method: call.methodAsString, args: arguments(call.arguments), calls: []]
    stack[-1].add(node)
    stack.add(node.calls)
    call.objectExpression.visit(this)
    call.arguments.visit(this)
    stack.remove(stack.size() - 1)
  }

  static List arguments(Expression args) {
    List list = args instanceof TupleExpression ? args.expressions : [args]
    list.collect { value(it) }
  }

  static Object value(Expression e) {
    if (e instanceof ConstantExpression) return e.value
    if (e instanceof GStringExpression) return [gstring: e.text]
    if (e instanceof ListExpression) return e.expressions.collect { value(it) }
    if (e instanceof MapExpression) {
      return e.mapEntryExpressions.collectEntries { [(String.valueOf(value(it.keyExpression))): value(it.valueExpression)] }
    }
    if (e instanceof ClosureExpression) return [closure: true]
    return [expression: e.text]
  }

  static List<Map> of(Statement code) {
    CallTree tree = new CallTree()
    code?.visit(tree)
    tree.root
  }
}

CompilationUnit unit = new CompilationUnit()
unit.addSource(new File(args[0]))
unit.compile(Phases.CONVERSION)
def module = unit.AST.modules[0]
println JsonOutput.toJson([
  script : CallTree.of(module.statementBlock),
  methods: module.methods.collectEntries { [(it.name): CallTree.of(it.code)] },
])
