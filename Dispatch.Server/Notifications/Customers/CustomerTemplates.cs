using System.Collections.Frozen;
using Dispatch.Core.Notifications;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// The words of every customer message, per language and kind; {number} is the order number (D-000123) and {link} the
/// tracking link. A new language: its tag in <see cref="CustomerLanguages"/> and a complete table here (a test checks every
/// language has every kind). For <see cref="CustomerNoticeKind.SignInCode"/>, {number} is the code. Messages say nothing the tracking page would not show (no courier name, no reason text).
/// </summary>
internal static class CustomerTemplates
{
    private static readonly FrozenDictionary<string, FrozenDictionary<CustomerNoticeKind, string>> Texts = new Dictionary<string, FrozenDictionary<CustomerNoticeKind, string>>
    {
        [CustomerLanguages.English] = new Dictionary<CustomerNoticeKind, string>
        {
            [CustomerNoticeKind.CourierFound] = "Order {number}: a courier is on the way to the shop. Track it: {link}",
            [CustomerNoticeKind.PickedUp] = "Order {number}: your order has been picked up. Track it: {link}",
            [CustomerNoticeKind.Arriving] = "Order {number}: the courier arrives in a minute or two. Track it: {link}",
            [CustomerNoticeKind.Delayed] = "Order {number}: sorry, your delivery is running late. Track it: {link}",
            [CustomerNoticeKind.Delivered] = "Order {number}: delivered. Thank you! Details: {link}",
            [CustomerNoticeKind.Cancelled] = "Order {number}: your order was cancelled. Details: {link}",
            [CustomerNoticeKind.Failed] = "Order {number}: we could not deliver your order. Details: {link}",
            [CustomerNoticeKind.Refunded] = "Order {number}: your money is on its way back to you. Details: {link}",
            [CustomerNoticeKind.SignInCode] = "Your Dispatch sign-in code is {number}. It expires in a few minutes; never share it.",
        }.ToFrozenDictionary(),
        [CustomerLanguages.SimplifiedChinese] = new Dictionary<CustomerNoticeKind, string>
        {
            [CustomerNoticeKind.CourierFound] = "订单 {number}：骑手正在前往商家取货。查看进度：{link}",
            [CustomerNoticeKind.PickedUp] = "订单 {number}：骑手已取货。查看进度：{link}",
            [CustomerNoticeKind.Arriving] = "订单 {number}：骑手一两分钟内到达。查看进度：{link}",
            [CustomerNoticeKind.Delayed] = "订单 {number}：抱歉，您的配送将会延迟。查看进度：{link}",
            [CustomerNoticeKind.Delivered] = "订单 {number}：已送达，谢谢！详情：{link}",
            [CustomerNoticeKind.Cancelled] = "订单 {number}：您的订单已取消。详情：{link}",
            [CustomerNoticeKind.Failed] = "订单 {number}：很抱歉，您的订单未能送达。详情：{link}",
            [CustomerNoticeKind.Refunded] = "订单 {number}：退款已发起，款项将原路退回。详情：{link}",
            [CustomerNoticeKind.SignInCode] = "您的 Dispatch 登录验证码是 {number}，几分钟内有效，请勿告诉他人。",
        }.ToFrozenDictionary(),
        [CustomerLanguages.French] = new Dictionary<CustomerNoticeKind, string>
        {
            [CustomerNoticeKind.CourierFound] = "Commande {number} : un coursier est en route vers le magasin. Suivi : {link}",
            [CustomerNoticeKind.PickedUp] = "Commande {number} : votre commande a été récupérée. Suivi : {link}",
            [CustomerNoticeKind.Arriving] = "Commande {number} : le coursier arrive dans une minute ou deux. Suivi : {link}",
            [CustomerNoticeKind.Delayed] = "Commande {number} : désolés, votre livraison a du retard. Suivi : {link}",
            [CustomerNoticeKind.Delivered] = "Commande {number} : livrée. Merci ! Détails : {link}",
            [CustomerNoticeKind.Cancelled] = "Commande {number} : votre commande a été annulée. Détails : {link}",
            [CustomerNoticeKind.Failed] = "Commande {number} : nous n'avons pas pu livrer votre commande. Détails : {link}",
            [CustomerNoticeKind.Refunded] = "Commande {number} : votre remboursement est en cours. Détails : {link}",
            [CustomerNoticeKind.SignInCode] = "Votre code de connexion Dispatch est {number}. Il expire dans quelques minutes ; ne le communiquez à personne.",
        }.ToFrozenDictionary(),
    }.ToFrozenDictionary();

    /// <summary>The message of <paramref name="kind"/> in <paramref name="language"/> (English when it is not supported).</summary>
    public static string Render(CustomerNoticeKind kind, string language, string orderNumber, string link)
    {
        var table = Texts.GetValueOrDefault(language) ?? Texts[CustomerLanguages.English];
        return table[kind].Replace("{number}", orderNumber, StringComparison.Ordinal).Replace("{link}", link, StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="language"/> has a text for every kind.</summary>
    public static bool IsComplete(string language) =>
        Texts.TryGetValue(language, out var table) && Enum.GetValues<CustomerNoticeKind>().All(table.ContainsKey);
}
