using System.Globalization;
using System.Text;
using EnclaveGen.Generators.Model;
using EnclaveGen.Generators.Planning;

namespace EnclaveGen.Generators.Emitting;

/// <summary>
/// The boundary manifest as JSON (format version 1), compiled in as the constant
/// <see cref="Names.Boundary"/>, so that <c>enclavegen boundary</c> reads every crossing from the
/// assembly's metadata without loading or running it. The same facts as the EDL-style manifest,
/// plus [Secret] and user_check; the field names are documented in docs/marshalling.md.
/// </summary>
internal static class BoundaryJsonEmitter
{
    /// <summary>Bumped when a field changes meaning; readers refuse versions they do not know.</summary>
    public const int FormatVersion = 1;

    public static string Render(EnclavePlan plan)
    {
        StringBuilder json = new();
        json.Append("{\"version\":").Append(FormatVersion);
        json.Append(",\"enclave\":").Append(Quote(plan.Enclave.MetadataName));
        json.Append(",\"maxThreads\":").Append(plan.Settings.MaxThreads.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"heapLimitBytes\":").Append(plan.Settings.HeapLimitBytes.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"debug\":").Append(plan.Settings.Debug ? "true" : "false");
        json.Append(",\"ecalls\":[");
        AppendAll(json, plan.Ecalls, ecall => Crossing(json, ecall.Method, AllowedDuring(ecall.Method, plan), "allowedDuring"));
        json.Append("],\"ocalls\":[");
        AppendAll(json, plan.Ocalls, ocall => Crossing(json, ocall.Method, Allows(ocall.Method, plan), "allows"));
        json.Append("]}");
        return json.ToString();
    }

    /// <summary>The OCALLs during which the host may call this private ECALL (EDL <c>allow</c>).</summary>
    private static IEnumerable<string> AllowedDuring(MethodModel ecall, EnclavePlan plan) =>
        plan.Ocalls.Where(ocall => ecall.AllowedDuring.Contains(ocall.Method.Id)).Select(ocall => ocall.Method.Name);

    /// <summary>The private ECALLs the host may call while it serves this OCALL.</summary>
    private static IEnumerable<string> Allows(MethodModel ocall, EnclavePlan plan) =>
        plan.Ecalls.Where(ecall => ecall.Method.AllowedDuring.Contains(ocall.Id)).Select(ecall => ecall.Method.Name);

    private static void Crossing(StringBuilder json, MethodModel method, IEnumerable<string> allowList, string allowListName)
    {
        json.Append("{\"name\":").Append(Quote(method.Name));
        json.Append(",\"id\":\"0x").Append(method.Id.ToString("x8", CultureInfo.InvariantCulture)).Append('"');
        json.Append(",\"private\":").Append(method.AllowedDuring.Length > 0 ? "true" : "false");
        json.Append(",\"async\":").Append(method.IsAsync ? "true" : "false");
        json.Append(",\"returns\":");
        if (method.ReturnType.IsVoid)
        {
            json.Append("null");
        }
        else
        {
            json.Append("{\"type\":").Append(Quote(Spell(method.ReturnType))).Append(",\"secret\":").Append(method.ReturnsSecret ? "true" : "false").Append('}');
        }

        json.Append(",\"parameters\":[");
        AppendAll(json, method.Parameters, parameter =>
        {
            json.Append("{\"name\":").Append(Quote(parameter.Name));
            json.Append(",\"type\":").Append(Quote(Spell(parameter.Type)));
            json.Append(",\"direction\":").Append(Quote(Direction(parameter)));
            json.Append(",\"secret\":").Append(parameter.IsSecret ? "true" : "false");
            json.Append(",\"userCheck\":").Append(parameter.IsUserCheck ? "true" : "false");
            json.Append('}');
        });
        json.Append("],").Append(Quote(allowListName)).Append(":[");
        AppendAll(json, allowList, name => json.Append(Quote(name)));
        json.Append("]}");
    }

    /// <summary>The direction as the manifest names it: in, out, in_out, out_sized_by_caller or not_marshalled.</summary>
    public static string Direction(ParameterModel parameter) => parameter switch
    {
        { IsCancellationToken: true } => "not_marshalled",
        { Direction: ParameterDirection.Ref } or { Buffer: BufferDirection.InOut } => "in_out",
        { Direction: ParameterDirection.Out } => "out",
        { Buffer: BufferDirection.Out } => "out_sized_by_caller",
        _ => "in",
    };

    public static string Spell(TypeModel type) => type.Display.Replace("global::", string.Empty);

    private static void AppendAll<T>(StringBuilder json, IEnumerable<T> items, Action<T> append)
    {
        bool first = true;
        foreach (T item in items)
        {
            if (!first)
            {
                json.Append(',');
            }

            append(item);
            first = false;
        }
    }

    private static string Quote(string text)
    {
        StringBuilder quoted = new(text.Length + 2);
        quoted.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case < ' ': quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: quoted.Append(c); break;
            }
        }

        return quoted.Append('"').ToString();
    }
}
