using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Hubs;

/// <summary>
/// A hub protocol (JSON or MessagePack) whose binding failures carry a <see cref="HubException"/> naming the method, the
/// argument and what it expects. SignalR binds arguments before any hub filter runs and, without detailed errors, answers
/// only "Failed to invoke 'X' due to an error on the server"; a HubException's message is always passed on.
/// Everything else is the wrapped protocol's.
/// </summary>
internal sealed class ArgumentErrorProtocol(IHubProtocol inner, HubArgumentErrors errors) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    /// <summary>Wraps every hub protocol registered so far; call after the protocols are added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        services.AddSingleton(sp => new HubArgumentErrors(
            sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions,
            sp.GetRequiredService<IOptions<MessagePackHubProtocolOptions>>().Value.SerializerOptions));
        foreach (var registered in services.Where(d => d.ServiceType == typeof(IHubProtocol)).ToList())
        {
            services.Remove(registered);
            services.AddSingleton<IHubProtocol>(sp => new ArgumentErrorProtocol(
                registered.ImplementationInstance as IHubProtocol
                    ?? registered.ImplementationFactory?.Invoke(sp) as IHubProtocol
                    ?? (IHubProtocol)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
                sp.GetRequiredService<HubArgumentErrors>()));
        }
    }

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        if (!inner.TryParseMessage(ref input, binder, out message)) return false;
        if (message is InvocationBindingFailureMessage failure)
        {
            var frame = before.Slice(before.Start, input.Start);
            var detail = errors.Describe(failure.Target, frame, TransferFormat == TransferFormat.Text);
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target, ExceptionDispatchInfo.Capture(new HubException(detail)));
        }
        return true;
    }
}
