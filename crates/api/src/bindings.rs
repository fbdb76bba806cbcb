//! The TypeScript declarations of the API types and operations, for the UI.
//!
//! `ui/src/lib/api/types.ts` (every type an operation reaches) and
//! `ui/src/lib/api/operations.ts` (the operations, their routes and a
//! typed client) are generated from the one list in `ops.rs`, and a test
//! checks both: `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`
//! rewrites them after a change.

use ts_rs::Config;

use crate::ops::{operation_types, Declarations};
use crate::*;

/// The types the UI uses that no operation's request or response
/// reaches: errors, and the import's progress messages.
fn extra_types(decls: &mut Declarations<'_>) {
    decls.add::<ApiError>();
    decls.add::<ImportProgressDto>();
    decls.add::<PairingDto>();
}

/// Every type an operation reaches (and [`extra_types`]), as one
/// TypeScript module, in name order.
pub fn typescript() -> String {
    let cfg = config();
    let mut all = std::collections::BTreeMap::new();
    for op in operation_types(&cfg) {
        all.extend(op.decls);
    }
    let mut extra = Declarations::new(&cfg);
    extra_types(&mut extra);
    all.extend(extra.found);
    let mut out = String::from(
        "// Generated from the Rust types in crates/api by\n// `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`. Do not edit.\n\n",
    );
    for decl in all.values() {
        out.push_str("export ");
        out.push_str(decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn config() -> Config {
    Config::new().with_large_int("number")
}

/// `import_notes` → `importNotes`.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A doc comment as a JSDoc block, indented by `indent`.
fn jsdoc(doc: &str, indent: &str) -> String {
    let lines: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.as_slice() {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        many => {
            let mut out = format!("{indent}/**\n");
            for line in many {
                out.push_str(&format!("{indent} * {line}\n"));
            }
            out.push_str(&format!("{indent} */\n"));
            out
        }
    }
}

/// The UI's map of operations: for each name, its request and response
/// types, its HTTP route, how its result is delivered, and a typed
/// client with one method per operation.
pub fn operations() -> String {
    let cfg = config();
    let ops = operation_types(&cfg);
    let mut types: Vec<&str> = ops
        .iter()
        .flat_map(|op| op.decls.iter().map(|(name, _)| name.as_str()))
        .filter(|name| {
            ops.iter()
                .any(|op| mentions(&op.request, name) || mentions(&op.response, name))
        })
        .collect();
    types.sort_unstable();
    types.dedup();
    let mut out = String::from(
        "// Generated from crates/api/src/ops.rs by\n// `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`. Do not edit.\n\n",
    );
    out.push_str(&format!(
        "import type {{ {} }} from './types';\n\n",
        types.join(", ")
    ));
    out.push_str("/** Each operation's request and response. */\nexport interface Operations {\n");
    for op in &ops {
        out.push_str(&format!(
            "  {}: {{ request: {}; response: {} }};\n",
            op.op.name, op.request, op.response
        ));
    }
    out.push_str(
        "}\n\n/** The name of an operation. */\nexport type OperationName = keyof Operations;\n\n",
    );
    out.push_str("/** Each operation's HTTP route, and how its result arrives. */\nexport const OPERATIONS = {\n");
    for op in &ops {
        let op = op.op;
        let method = match op.method {
            Method::Get => "GET",
            Method::Post => "POST",
        };
        let delivery = match op.delivery {
            Delivery::Json => "json",
            Delivery::Progress => "progress",
            Delivery::File => "file",
        };
        out.push_str(&format!(
            "  {}: {{ method: '{method}', path: '{}', delivery: '{delivery}' }},\n",
            op.name, op.path
        ));
    }
    out.push_str("} as const satisfies Record<OperationName, { method: 'GET' | 'POST'; path: string; delivery: string }>;\n\n");
    out.push_str(CLIENT_TYPES);
    out.push_str("\n/** One typed method per operation that answers with JSON, named as the operation in camelCase. */\nexport function operationClient(call: Call) {\n  return {\n");
    for op in ops.iter().filter(|op| op.op.delivery != Delivery::File) {
        out.push_str(&jsdoc(op.op.doc, "    "));
        out.push_str(&format!(
            "    {}: (...args: Args<{req}>) => call('{}', (args[0] ?? {{}}) as {req}),\n",
            camel_case(op.op.name),
            op.op.name,
            req = op.request
        ));
    }
    out.push_str("  };\n}\n\n/** The typed client of every JSON operation. */\nexport type OperationClient = ReturnType<typeof operationClient>;\n");
    out
}

/// True when the TypeScript type `ty` names `name` (as a whole word).
fn mentions(ty: &str, name: &str) -> bool {
    ty.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|word| word == name)
}

/// The hand-written part of `operations.ts`: the names by delivery and
/// the shape of a transport's call.
const CLIENT_TYPES: &str = "/** The operations that answer with JSON (the import also with progress). */
export type CallName = { [K in OperationName]: (typeof OPERATIONS)[K]['delivery'] extends 'file' ? never : K }[OperationName];

/** The operations that deliver a file (the exports). */
export type FileName = { [K in OperationName]: (typeof OPERATIONS)[K]['delivery'] extends 'file' ? K : never }[OperationName];

/** Runs one operation by name: how is up to the transport. */
export type Call = <K extends CallName>(name: K, request: Operations[K]['request']) => Promise<Operations[K]['response']>;

/** A method's arguments: the request, optional when every field is. */
type Args<R> = {} extends R ? [request?: R] : [request: R];
";

#[cfg(test)]
mod tests {
    /// Each generated file is what the Rust side says it is.
    #[test]
    fn bindings_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/api");
        for (name, expected) in [
            ("types.ts", super::typescript()),
            ("operations.ts", super::operations()),
        ] {
            let path = dir.join(name);
            if std::env::var_os("UPDATE_BINDINGS").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &expected).unwrap();
                continue;
            }
            let actual = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                actual == expected,
                "{} is out of date: run `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`",
                path.display()
            );
        }
    }
}
