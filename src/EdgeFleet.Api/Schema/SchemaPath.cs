namespace EdgeFleet.Api.Schema;

/// <summary>Builds field paths the way the API server prints them.</summary>
internal static class SchemaPath
{
    public static string Field(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    public static string Index(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
