using FlumeK8s.Runtime.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// <c>/drain</c>, what the operator calls before it removes a pod: <c>POST</c> stops the sources
/// and lets the sinks empty the channels (202: the emptying goes on after the answer), <c>GET</c>
/// reports how far it is, <c>DELETE</c> starts the sources again. Each answers with the status as
/// JSON (<see cref="DrainStatusJson"/>); POST and DELETE are idempotent.
/// </summary>
internal static class DrainEndpoints
{
    public const string Path = "/drain";

    public static void Map(WebApplication app, AgentHost host)
    {
        // A drain or cancel once asked for is carried out even if the caller hangs up: it waits only
        // for a reload or reopening in progress, which the drain time bounds.
        app.MapMethods(Path, AdminServer.GetAndHead, () => Status(host.DrainStatus, StatusCodes.Status200OK));
        app.MapPost(Path, async () => Status(await host.DrainAsync(CancellationToken.None).ConfigureAwait(false), StatusCodes.Status202Accepted));
        app.MapDelete(Path, async () =>
        {
            if (host.IsStopping)
            {
                return Status(host.DrainStatus, StatusCodes.Status409Conflict);
            }
            try
            {
                return Status(await host.CancelDrainAsync(CancellationToken.None).ConfigureAwait(false), StatusCodes.Status200OK);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Text($"the sources could not start again, still draining: {e.Message}\n", statusCode: StatusCodes.Status500InternalServerError);
            }
        });
    }

    private static IResult Status(DrainStatus status, int code) =>
        Results.Text(DrainStatusJson.Render(status), "application/json", statusCode: code);
}
